"""`wsis-ledger reconcile`: two statements side by side, donor by donor."""

from __future__ import annotations

import csv
import io
import json
import shutil
from decimal import Decimal
from pathlib import Path

from conftest import Run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "liste-2004"


def reconcile(run: Run, *args: str | Path) -> dict:  # type: ignore[type-arg]
    result = run("reconcile", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_the_annex_beside_the_invented_2004_list(run: Run, tmp_path: Path) -> None:
    example = tmp_path / "liste-2004"
    shutil.copytree(EXAMPLE, example)
    document = reconcile(run, "annex-2002-12-20", "liste-2004", "--with", example)
    rows = {(r["a_id"], r["b_id"]): r for r in document["donors"]}
    # Matched through names and aliases in any language, accents and punctuation aside.
    assert rows[("japan", "japon")]["matched_by"] == "alias"  # Japon: aliases Government of Japan
    assert rows[("sdc", "ddc")]["matched_by"] == "alias"  # the annex's alias DDC
    assert rows[("burkina-faso", "bf")]["matched_by"] == "name"  # GOVERNMENT OF BURKINA-FASO
    assert rows[("sweden", "suede")]["received_difference"] == "+100000"
    # A close spelling is never merged: each stands alone, and a suggestion says what to add.
    assert rows[("finland", None)]["presence"] == "only in A"
    assert rows[(None, "finlande")]["presence"] == "only in B"
    [suggestion] = document["suggestions"]
    assert (suggestion["a_id"], suggestion["b_id"]) == ("finland", "finlande")
    assert suggestion["alias_line"] == 'aliases: ["Governement of Finland"]'
    # Each side's totals are its statement's figures.
    assert (document["a"]["received"], document["a"]["pledged"]) == ("2243419", "3030450")
    assert document["totals"]["a_received"] == "2243419"
    table = run("reconcile", "annex-2002-12-20", "liste-2004", "--with", example)
    assert table.exit_code == 0 and 'aliases: ["Governement of Finland"]' in table.stdout
    for fmt in ("markdown", "csv", "html"):
        out = run("reconcile", "annex-2002-12-20", "liste-2004", "--with", example, "--format", fmt)
        assert out.exit_code == 0 and "Tunisie" in out.stdout, fmt


def test_usage_errors_exit_2_and_differences_exit_0(run: Run, tmp_path: Path) -> None:
    assert run("reconcile", "annex-2002-12-20", "nope").exit_code == 2
    assert run("reconcile", "nope", "annex-2002-12-20").exit_code == 2
    assert run("reconcile", "a", "b", "--with", tmp_path / "missing").exit_code == 2
    assert run("reconcile", "annex-2002-12-20", "annex-2002-12-20").exit_code == 0


NAMES = ["Suède", "Japon", "Espagne", "Malte", "Finlande", "Tunisie", "Canada"]


@st.composite
def two_lists(draw: st.DrawFn) -> tuple[str, str]:
    """A ledger of two statements: donors (some with aliases), and each statement's
    receipts and pledges, with printed totals (whatever they are)."""
    donors = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=6, unique=True))
    lines = ["donors:"]
    for n, name in enumerate(donors):
        alias = draw(st.sampled_from(["", f"A{n}", name.upper()]))
        extra = f", aliases: [{alias}]" if alias else ""
        lines.append(f"  - {{id: d{n}, name: {{en: {name}}}, kind: government{extra}}}")
    files = []
    for statement in ("s1", "s2"):
        body = [
            "statement:",
            f"  id: {statement}",
            f"  title: {statement}",
            f"  as_of: 2004-0{1 if statement == 's1' else 2}-01",
            "  stated: {received: 1, pledged: 1}",
        ]
        for section in ("received", "pledged"):
            entries = draw(
                st.lists(
                    st.tuples(
                        st.integers(0, len(donors) - 1),
                        st.decimals(1, 10**7, places=2, allow_nan=False),
                    ),
                    max_size=6,
                )
            )
            if entries:
                body.append(f"{section}:")
            for k, (donor, chf) in enumerate(entries):
                body.append(f"  - {{id: {statement}{section[0]}{k}, donor: d{donor}, chf: {chf}}}")
        files.append("\n".join(body) + "\n")
    return "\n".join(lines) + "\n", "\u0000".join(files)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(spec=two_lists())
def test_rows_add_up_to_the_totals_and_the_totals_are_the_statements(
    run: Run, tmp_path: Path, spec: tuple[str, str]
) -> None:
    root = tmp_path / "gen"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir()
    (root / "ledger.yaml").write_text(
        "fund: {id: f, name: Fund, booking_unit: 0.01}\n" + spec[0], encoding="utf-8"
    )
    for n, text in enumerate(spec[1].split("\u0000")):
        (root / f"s{n + 1}.yaml").write_text(text, encoding="utf-8")
    document = reconcile(run, "s1", "s2", "--data", root)
    totals = document["totals"]
    for column in ("a_received", "a_pledged", "b_received", "b_pledged"):
        summed = sum((Decimal(r[column] or "0") for r in document["donors"]), Decimal(0))
        assert summed == Decimal(totals[column]), column
    for column in ("received_difference", "pledged_difference"):
        summed = sum((Decimal(r[column]) for r in document["donors"]), Decimal(0))
        assert summed == Decimal(totals[column]), column
    statements = json.loads(run("statements", "--format", "json", "--data", root).stdout)
    computed = {
        (s["id"], f["total"]): f["computed"] for s in statements["statements"] for f in s["figures"]
    }
    assert Decimal(totals["a_received"]) == Decimal(computed[("s1", "received")])
    assert Decimal(totals["a_pledged"]) == Decimal(computed[("s1", "pledged")])
    assert Decimal(totals["b_received"]) == Decimal(computed[("s2", "received")])
    assert Decimal(totals["b_pledged"]) == Decimal(computed[("s2", "pledged")])
    # The same statement on both sides: every donor in both, nothing differs.
    same = reconcile(run, "s1", "s1", "--data", root)
    assert all(r["presence"] == "both" for r in same["donors"])
    assert {r["received_difference"] for r in same["donors"]} <= {"0"}
    rows = list(
        csv.DictReader(
            io.StringIO(run("reconcile", "s1", "s2", "--format", "csv", "--data", root).stdout)
        )
    )
    assert len([r for r in rows if r["section"] == "donor"]) == len(document["donors"])


def test_a_statement_beside_itself_matches_every_donor_by_its_id(run: Run) -> None:
    """A donor shares its id, names and aliases with itself: it is matched by id."""
    document = reconcile(run, "annex-2002-12-20", "annex-2002-12-20")
    rows = document["donors"]
    assert rows and all(r["a_id"] == r["b_id"] for r in rows)
    assert {r["matched_by"] for r in rows} == {"id"}


def test_the_reconciliation_is_told_in_the_language_asked_and_json_stays_english(
    run: Run, tmp_path: Path
) -> None:
    example = tmp_path / "liste-2004"
    shutil.copytree(EXAMPLE, example)
    args = ("annex-2002-12-20", "liste-2004", "--with", example)
    french = run("reconcile", *args, "--lang", "fr").output
    assert french.startswith(
        "A : annex-2002-12-20 (au 20 décembre 2002) en regard de B : liste-2004 (au 30 juin 2004)"
    )
    assert "Identifiant dans A (annex-2002-12-20)" in french and "Rapproché par" in french
    assert "seulement dans A" in french and "only in" not in french
    assert "suggestion : 'Governement of Finland' (finlande, seulement dans B)" in french
    arabic = run("reconcile", *args, "--lang", "ar", "--format", "html").output
    assert '<html lang="ar" dir="rtl">' in arabic and "<title>المطابقة</title>" in arabic
    assert "<th>الجهة المانحة</th>" in arabic and "كلاهما" in arabic
    # The figures are the same in every language; JSON keeps its English words.
    english = reconcile(run, *args)
    assert reconcile(run, *args, "--lang", "ru") == english
    assert {row["presence"] for row in english["donors"]} == {"both", "only in A", "only in B"}

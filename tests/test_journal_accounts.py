"""Journal accounts: one account per donor, facility and purpose, never two in one.

Issue 27, class 9: donors `ab.c` and `ab-c` both became `Income:Received:Ab-C`,
`1x` and `d1x` both `D1x`, and their balances merged. Names now keep their
readable part and take a suffix where two ids would meet; the export stops
rather than merge. Every account is declared, so `hledger check -s` (strict)
and `bean-check` pass.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import Run
from hypothesis import given, settings
from hypothesis import strategies as st

from wsis_ledger.render import journal as journal_module
from wsis_ledger.render.journal import JournalError, distinct_parts, distinct_purposes

HLEDGER = shutil.which("hledger")
#: An account name component beancount accepts (hledger accepts any of these too).
COMPONENT = re.compile(r"[A-Z][A-Za-z0-9-]*")
IDS = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,8}", fullmatch=True)
PURPOSE_PART = r"[a-z0-9][a-z0-9_-]{0,4}"
PURPOSES = st.from_regex(rf"{PURPOSE_PART}(/{PURPOSE_PART}){{0,2}}", fullmatch=True)


@settings(max_examples=400, deadline=None)
@given(first=IDS, second=IDS)
def test_two_ids_never_share_an_account(first: str, second: str) -> None:
    names = distinct_parts([first, second])
    assert all(COMPONENT.fullmatch(name) for name in names.values())
    if first != second:
        assert names[first].casefold() != names[second].casefold()


def test_the_ids_of_the_review_stay_apart_and_readable() -> None:
    assert distinct_parts(["ba-f-kommunikation"]) == {"ba-f-kommunikation": "Ba-F-Kommunikation"}
    for pair in (["ab.c", "ab-c"], ["1x", "d1x"], ["Ab", "ab"], ["a/b", "a_b"]):
        names = distinct_parts(pair)
        assert len({n.casefold() for n in names.values()}) == 2, names


@settings(max_examples=300, deadline=None)
@given(purposes=st.lists(PURPOSES, min_size=2, max_size=5, unique=True))
def test_purposes_never_share_an_account_at_any_level(purposes: list[str]) -> None:
    names = distinct_purposes(purposes)
    assert len(set(names.values())) == len(names)
    for level, name in names.items():
        parts = name.split(":")
        assert len(parts) == level.count("/") + 1
        assert all(COMPONENT.fullmatch(part) for part in parts)
        if "/" in level:  # a child sits under its own parent's account
            assert name.startswith(names[level.rsplit("/", 1)[0]] + ":")


def _ledger(root: Path, donors: list[str], facilities: list[str], purposes: list[str]) -> None:
    lines = ["fund: {id: t, name: {en: A fund}, booking_unit: 1}", "donors:"]
    lines += [
        f"  - {{id: '{d}', name: 'Donor {n}', kind: government}}" for n, d in enumerate(donors)
    ]
    lines.append("loan_facilities:")
    lines += [f"  - {{id: '{f}', lender: '{donors[0]}', ceiling: 1000000}}" for f in facilities]
    (root / "ledger.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    records: dict[str, list[dict[str, str]]] = {
        "received": [
            {
                "id": f"r{n}",
                "donor": d,
                "amount": str(1000 * (n + 1)),
                "currency": "CHF",
                "date": "2003-01-02",
            }
            for n, d in enumerate(donors)
        ],
        "pledged": [
            {
                "id": f"p{n}",
                "donor": d,
                "amount": str(100 * (n + 1)),
                "currency": "CHF",
                "date": "2003-01-02",
            }
            for n, d in enumerate(donors)
        ],
        "loan_drawings": [
            {
                "id": f"l{n}",
                "facility": f,
                "amount": str(10 * (n + 1)),
                "date": "2003-01-03",
                "use": "bridging",
            }
            for n, f in enumerate(facilities)
        ],
        "expenditures": [
            {
                "id": f"x{n}",
                "amount": str(n + 1),
                "currency": "CHF",
                "date": "2003-01-04",
                "description": "spent",
                "purpose": p,
            }
            for n, p in enumerate(purposes)
        ],
    }
    (root / "2003.yaml").write_text(json.dumps(records), encoding="utf-8")


def _beancount_balances(text: str) -> dict[str, Decimal]:
    from beancount import loader
    from beancount.core import realization

    entries, errors, _ = loader.load_string(text)
    assert errors == [], errors
    balances = {}
    for real in realization.iter_children(realization.realize(entries)):
        if not real.balance.is_empty():
            balances[real.account] = real.balance.get_currency_units("CHF").number
    return balances


def test_the_reviews_donors_keep_their_own_balances_in_both_journals(
    run: Run, tmp_path: Path
) -> None:
    rng = random.Random(27_9)
    alphabet = "abAB1-._/"
    for _ in range(12):
        donors: list[str] = []
        while len(donors) < 4:
            candidate = rng.choice("abAB1") + "".join(rng.choices(alphabet, k=rng.randint(0, 3)))
            if candidate not in donors:
                donors.append(candidate)
        facilities = [f"f{d}" for d in donors[:2]]
        purposes = ["a-b", "a_b", "a-b/c", "a_b/c"]
        root = tmp_path / f"ledger-{_}"
        root.mkdir()
        _ledger(root, donors, facilities, purposes)
        exported = run("export", "--format", "beancount", "--data", root)
        assert exported.exit_code == 0, exported.output
        balances = _beancount_balances(exported.stdout)
        received = {
            a: -v for a, v in balances.items() if a.startswith("Income:Received:Contributions:")
        }
        assert sorted(received.values()) == [Decimal(1000 * (n + 1)) for n in range(4)]
        loans = [a for a in balances if a.startswith("Liabilities:Loans:")]
        assert len(loans) == 2
        spent = {a: v for a, v in balances.items() if a.startswith("Expenses:Purposes:")}
        leaves = [a for a in spent if not any(o.startswith(a + ":") for o in spent)]
        assert len(leaves) == 2  # a-b/c and a_b/c apart, each under its own parent
        if HLEDGER:
            ledger_text = run("export", "--format", "ledger", "--data", root).stdout
            checked = subprocess.run(
                [HLEDGER, "-f-", "check", "-s"], input=ledger_text, capture_output=True, text=True
            )
            assert checked.returncode == 0, checked.stderr


def test_the_export_stops_rather_than_merge(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(journal_module, "_digest", lambda _: "0" * 64)
    with pytest.raises(JournalError, match="would share the journal account"):
        distinct_parts(["ab.c", "ab-c"])
    _ledger(tmp_path, ["ab.c", "ab-c"], [], [])
    result = run("export", "--format", "ledger", "--data", tmp_path)
    assert result.exit_code == 1
    assert "would share the journal account" in result.output
    assert "Income:Received" not in result.stdout


@pytest.mark.skipif(HLEDGER is None, reason="needs Debian's hledger (.ci/run installs it)")
def test_the_shipped_ledgers_journal_passes_hledgers_strict_check(run: Run, tmp_path: Path) -> None:
    text = run("export", "--format", "ledger").stdout
    assert HLEDGER is not None
    checked = subprocess.run(
        [HLEDGER, "-f-", "check", "-s"], input=text, capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr
    assert "account Assets:Fund:Cash" in text and "commodity JPY" in text

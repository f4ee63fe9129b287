"""Property: whatever ids, notes and amounts a write is given, it lands inside the ledger.

Random ids (some with `/`, `..`, dots, letters outside ASCII), notes and
amounts go through `receive`, `cancel`, `loan draw`, `loan repay`,
`reassign` and `import`. After every run: nothing exists outside the ledger
folder that was not there before; the write either succeeded and `check`
still passes, or was refused (exit 1 or 2, no traceback) and the ledger is
byte for byte as it was.

CI runs 100 examples; a longer run: WSIS_FUZZ_WRITE_EXAMPLES=5000 pytest tests/test_fuzz_writes.py
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wsis_ledger.commands.main import cli
from wsis_ledger.source.discovery import shipped_ledger

EXAMPLES = int(os.environ.get("WSIS_FUZZ_WRITE_EXAMPLES", "100"))
SHIPPED = shipped_ledger()
LOCK = ".wsis-ledger.lock"
ID_LENGTH = 40
#: How deep the ledger lies below the folder watched: deeper than an id can climb.
DEPTH = ID_LENGTH // 3 + 3

#: Ids as the ledger allows them, hostile ones first among the examples.
IDS = st.one_of(
    st.sampled_from(["a/../../../../x", "x/..", "a/b/c", "p..q", "x/.hidden", "p01/../p02"]),
    st.from_regex(rf"[A-Za-z0-9][A-Za-z0-9._/-]{{0,{ID_LENGTH - 1}}}", fullmatch=True),
    st.lists(st.sampled_from(["a", "..", ".", "x.y", "b-1"]), min_size=1, max_size=12).map(
        lambda parts: ("p/" + "/".join(parts))[:ID_LENGTH]
    ),
)
TEXT = st.one_of(
    st.sampled_from(["", " ", "../../x", "a\nb", "=SUM(A1)", "日本", '"', "x" * 300]),
    st.text(max_size=60),
)
AMOUNTS = st.one_of(
    st.sampled_from(["1", "10", "0", "-5", "1e6", "12.345", "9" * 20, "1,000", "x"]),
    st.decimals(min_value=0, max_value=10**9, places=2).map(str),
)
DATES = st.sampled_from(["2003-02-01", "2003-12-31", "2002-02-30", "not a date", "1999-01-01"])


def snapshot(folder: Path) -> dict[str, str]:
    """Every path below `folder` (the lock file left out), with a hash of each file."""
    found = {}
    for path in folder.rglob("*"):
        if path.name == LOCK:
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "folder"
        found[str(path.relative_to(folder))] = digest
    return found


def outside(parent: Path, root: Path) -> dict[str, str]:
    """`snapshot(parent)` without the ledger at `root`."""
    inside = str(root.relative_to(parent)) + "/"
    return {k: v for k, v in snapshot(parent).items() if not (k + "/").startswith(inside)}


def hostile_records(record_id: str, facility_id: str) -> str:
    return (
        "pledged:\n"
        f"  - {{id: {json.dumps(record_id)}, donor: sweden, amount: 100000, currency: CHF,"
        " date: 2003-01-01, purpose: other}\n"
        "loan_facilities:\n"
        f"  - {{id: {json.dumps(facility_id)}, lender: sweden, ceiling: 1000000}}\n"
    )


@st.composite
def writes(draw: st.DrawFn) -> tuple[list[str], str | None]:
    """A write command's arguments (the hostile pledge is 'ID', the facility 'FACILITY'),
    and, for an import, the CSV text."""
    kind = draw(st.sampled_from(["receive", "cancel", "draw", "repay", "reassign", "import"]))
    target = draw(st.sampled_from(["ID", "ID", "p02", "r01"]))
    day = draw(DATES)
    if kind == "receive":
        args = ["receive", target, "--amount", draw(AMOUNTS), "--currency", "CHF"]
        if draw(st.booleans()):
            args += ["--reference", draw(TEXT)]
        return [*args, "--date", day], None
    if kind == "cancel":
        return ["cancel", target, "--date", day, "--note", draw(TEXT)], None
    if kind in ("draw", "repay"):
        note = ["--use" if kind == "draw" else "--note", draw(TEXT)]
        return ["loan", kind, draw(AMOUNTS), "--date", day, "--facility", "FACILITY", *note], None
    if kind == "reassign":
        purpose = draw(st.sampled_from(["core", "core/fellowships", "Other", "../x", "a//b"]))
        return ["reassign", target, "--purpose", purpose, "--note", draw(TEXT), "--date", day], None
    rows = [
        ",".join(
            [
                draw(st.sampled_from(["pledge", "receipt"])),
                draw(st.sampled_from(["Government of Sweden", "sweden", "Nobody"])),
                draw(AMOUNTS).replace(",", ""),
                "CHF",
                "",
                "",
                day,
                "other",
                json.dumps(draw(TEXT).replace("\n", " ")),
            ]
        )
        for _ in range(draw(st.integers(1, 3)))
    ]
    header = "type,donor,amount,currency,chf,rate,date,purpose,reference\n"
    return ["import", "ROWS"], header + "\n".join(rows) + "\n"


@settings(
    max_examples=EXAMPLES,
    deadline=10000,  # milliseconds: a run that takes this long has hung in all but name
    suppress_health_check=[HealthCheck.too_slow],
)
@given(record_id=IDS, facility_id=IDS, write=writes())
def test_a_write_never_lands_outside_the_ledger(
    record_id: str, facility_id: str, write: tuple[list[str], str | None]
) -> None:
    if record_id == facility_id or record_id in ("p02", "r01"):
        return
    args, rows = write
    with tempfile.TemporaryDirectory() as scratch:
        # The ledger lies deep below the folder watched, deeper than any id can climb
        # with `..`: a file written outside the ledger is seen.
        parent = Path(scratch)
        root = parent.joinpath(*["up"] * DEPTH, "ledger")
        shutil.copytree(SHIPPED, root)
        (root / "hostile.yaml").write_text(hostile_records(record_id, facility_id))
        runner = CliRunner()
        if runner.invoke(cli, ["check", "--no-cache", "--data", str(root)]).exit_code != 0:
            return  # an id the ledger itself refuses: nothing to write against
        source = parent / "rows.csv"
        if rows is not None:
            source.write_text(rows, encoding="utf-8")
        args = [
            {"ID": record_id, "FACILITY": facility_id, "ROWS": str(source)}.get(a, a) for a in args
        ]
        before_outside = outside(parent, root)
        before_ledger = snapshot(root)
        result = runner.invoke(cli, [*args, "--data", str(root)], catch_exceptions=False)
        after_outside = outside(parent, root)
        assert after_outside == before_outside, (args, result.output)
        assert "Traceback" not in result.output
        assert result.exit_code in (0, 1, 2), (args, result.output)
        if result.exit_code == 0:
            check = runner.invoke(cli, ["check", "--no-cache", "--data", str(root)])
            assert check.exit_code == 0, (args, check.output)
        else:
            assert snapshot(root) == before_ledger, (args, result.output)

"""An hledger transaction header reads back as written: a payee or narration of any
shape (`(123) Evil` that would be a code, `!`/`*` that would be a status, `|`, `;`,
`=`) is the description hledger itself parses, checked with the real hledger."""

from __future__ import annotations

import csv
import io
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from wsis_ledger.render import escape

HLEDGER = shutil.which("hledger")
PIECES = [
    "(",
    ")",
    "(123)",
    "!",
    "*",
    "|",
    ";",
    "=",
    "2004-01-01",
    "@",
    "#",
    "Evil",
    "Fund",
    " ",
    "x",
    "1",
]


def payees(count: int) -> list[str]:
    rng = random.Random(6)
    made = ["(123) Evil", "(", "()", "! Evil", "* Evil", "| Evil", "; Evil", "=2004-01-02 Evil"]
    while len(made) < count:
        text = "".join(rng.choice(PIECES) for _ in range(rng.randrange(1, 6))).strip()
        if text:
            made.append(text)
    return made


@pytest.mark.skipif(HLEDGER is None, reason="hledger is not installed")
def test_every_payee_and_narration_round_trips_through_hledger(tmp_path: Path) -> None:
    cases = [
        (payee, narration)
        for payee, narration in zip(payees(400), reversed(payees(400)), strict=True)
    ]
    journal = []
    for payee, narration in cases:
        journal.append(
            f"2004-05-01 * {escape.hledger_payee(payee)} | {escape.hledger_text(narration)}\n"
            "    assets:cash  1 CHF\n    income:received\n"
        )
    path = tmp_path / "j.journal"
    path.write_text("\n".join(journal), encoding="utf-8")
    assert HLEDGER is not None
    printed = subprocess.run(
        [HLEDGER, "-f", str(path), "print", "-O", "csv"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    rows = [row for row in csv.DictReader(io.StringIO(printed)) if row["amount"] == "1"]
    assert len(rows) == len(cases)
    for row, (payee, narration) in zip(rows, cases, strict=True):
        assert row["code"] == "", (payee, row)
        assert row["status"] == "*", (payee, row)
        shown_payee = payee.replace(";", ",").replace("|", "/").strip()
        shown_narration = narration.replace(";", ",").strip()
        assert row["description"] == f"{shown_payee} | {shown_narration}", (payee, row)

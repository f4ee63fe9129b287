"""Benchmark: `wsis-ledger import` of N CSV rows into a ledger with no entries.

    python bench/imports.py --rows 100000            # dry run and real import, then check
    python bench/imports.py --rows 100000 --keep /tmp/import-100k

Writes the fund and donors of `generate.py` (no entries) and a CSV of N receipts
and pledges in five currencies, then measures (separate processes, CPU seconds,
wall time and peak memory): `import --dry-run`, `import`, and a cold
`check --no-cache` of the result, which the import's figures are compared with.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import RATES, generate  # noqa: E402

_SCRIPT = Path(sys.executable).parent / "wsis-ledger"
TOOL = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "wsis_ledger"]


def write_inputs(rows: int, folder: Path, seed: int = 2002) -> tuple[Path, Path]:
    """An entry-less ledger at folder/ledger and a CSV of `rows` rows at folder/rows.csv."""
    ledger = folder / "ledger"
    generate(rows, ledger, seed)
    shutil.rmtree(ledger / "entries")
    donors = max(50, rows // 20)
    chance = random.Random(seed)
    start = date(2003, 1, 1)
    lines = ["type,donor,amount,currency,chf,rate,date,purpose,reference"]
    for n in range(rows):
        kind = "receipt" if chance.random() < 0.6 else "pledge"
        currency = chance.choice(["CHF", "USD", "EUR", "JPY", "CAD"])
        amount = chance.randint(1, 10 ** chance.randint(2, 7))
        rate = "" if currency == "CHF" else chance.choice(RATES[currency])
        on = start + timedelta(days=chance.randrange(1000))
        purpose = chance.choice(["core/unrestricted", "core/fellowships", "other", ""])
        donor = f"Donor {chance.randrange(donors)}"
        lines.append(f"{kind},{donor},{amount},{currency},,{rate},{on},{purpose},R-{n}")
    csv = folder / "rows.csv"
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return ledger, csv


def measure(command: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """CPU seconds (user + system), wall seconds and peak MB of one run."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed: {process.stderr.read().decode()[-800:]}")  # type: ignore[union-attr]
    return usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument(
        "--keep", type=Path, default=None, help="build the inputs here and keep them"
    )
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="wsis-bench-import-"))
    folder.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "XDG_CACHE_HOME": str(folder / "cache")}
    try:
        ledger, csv = write_inputs(args.rows, folder)
        base = [*TOOL, "import", str(csv), "--add-donors", "--data", str(ledger)]
        for name, command in (
            ("import --dry-run", [*base, "--dry-run"]),
            ("import", base),
            (
                "check --no-cache of the result",
                [*TOOL, "check", "--no-cache", "--data", str(ledger)],
            ),
        ):
            cpu, wall, peak = measure(command, env)
            print(f"{name}: {cpu:.2f} CPU s, {wall:.2f} s wall, {peak:.0f} MB", flush=True)
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

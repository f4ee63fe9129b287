"""Write a valid synthetic ledger of N contributions and pledges, for benchmarks.

    python bench/generate.py --entries 100000 --out /tmp/ledger-100k

Many donors, all five currencies (CHF, USD, EUR, JPY, CAD) with recorded
rates (the ECB's reference of the month's first day, as an operational rate)
and booked CHF that agree, purposes, dates; entries split over files of
at most 10 000 entries (`--per-file`), beside a statement (as of the last date) that states
no totals: the benchmark measures reading and checking entries.
The same N and seed always give the same bytes.
"""

from __future__ import annotations

import argparse
import random
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from wsis_ledger.source.reference_rates import ECBReference

PER_FILE = 10_000
#: CHF per unit, with as many digits as a treasury would record (rows to import, bench/imports.py).
RATES = {
    "USD": ["1.4255", "1.3501", "1.50", "1.2876"],
    "EUR": ["1.4619", "1.452", "1.5511"],
    "JPY": ["0.012710510578626639", "0.01241", "0.0115"],
    "CAD": ["0.9195", "1.00", "0.8876"],
}
#: CHF per unit are given to this many decimals, as a treasury records them.
RATE_DECIMALS = {"USD": 4, "EUR": 4, "JPY": 6, "CAD": 4}
_REFERENCE = ECBReference()


def operational_rate(currency: str, day: date) -> Decimal:
    """As a UN operational rate: the ECB's reference rate of the month's first day (the
    rate then holds for the month), to a treasury's decimals. Most entries are then
    within the rate checks' tolerance of their day's reference, as in a real ledger;
    those of a month the currency moved far are not."""
    reference = _REFERENCE.rate(currency, day.replace(day=1))
    assert reference is not None
    return reference.value.quantize(Decimal(1).scaleb(-RATE_DECIMALS[currency]), ROUND_HALF_UP)


MINOR = {"CHF": 2, "USD": 2, "EUR": 2, "JPY": 0, "CAD": 2}
PURPOSES = ["core/unrestricted", "core/fellowships", "core/staff", "other/events", "other"]


def generate(entries: int, out: Path, seed: int = 2002, per_file: int = PER_FILE) -> None:
    chance = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    donors = max(50, entries // 20)
    (out / "ledger.yaml").write_text(
        "fund:\n"
        "  id: bench\n"
        "  name: {en: Synthetic benchmark fund, zh: 基准测试基金}\n"
        "  currency: CHF\n"
        "  booking_unit: 1\n"
        "  phases:\n"
        "    - {id: phase-1, name: First phase, budget: 5900000}\n",
        encoding="utf-8",
    )
    lines = ["donors:"]
    kinds = ["government", "un-system", "intergovernmental", "private-sector", "civil-society"]
    for n in range(donors):
        lines.append(
            f"  - {{id: d{n:06d}, name: {{en: Donor {n}, zh: 捐款方{n}}}, "
            f"kind: {kinds[n % len(kinds)]}}}"
        )
    (out / "donors.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    start = date(2003, 1, 1)
    (out / "entries").mkdir(exist_ok=True)
    for part, first in enumerate(range(0, entries, per_file), 1):
        sections: dict[str, list[str]] = {"received": [], "pledged": []}
        for n in range(first, min(entries, first + per_file)):
            kind = "received" if chance.random() < 0.6 else "pledged"
            currency = chance.choice(["CHF", "USD", "EUR", "JPY", "CAD"])
            digits = chance.randint(2, 7)
            amount = Decimal(chance.randint(1, 10**digits))
            if MINOR[currency] and chance.random() < 0.3:
                amount += Decimal(chance.randint(1, 99)) / 100
            fields = [f"id: e{n:07d}", f"donor: d{chance.randrange(donors):06d}"]
            fields += [f"amount: {amount}", f"currency: {currency}"]
            if currency == "CHF":
                chf = amount.quantize(Decimal(1), rounding=ROUND_HALF_UP)
                if chf != amount:
                    fields[2] = f"amount: {chf}"
            day = start + timedelta(days=chance.randrange(1000))
            if currency != "CHF":
                rate = operational_rate(currency, day)
                chf = (amount * rate).quantize(Decimal(1), rounding=ROUND_HALF_UP)
                fields += [f"chf: {chf}", f"rate: {rate}"]
            if chf == 0:
                chf = Decimal(1)
                fields = [*fields[:2], "amount: 1", "currency: CHF"]
            fields.append(f"date: {day}")
            if chance.random() < 0.5:
                fields.append(f"purpose: {chance.choice(PURPOSES)}")
            sections[kind].append("  - " + "\n    ".join(fields))
        text = "".join(
            f"{name}:\n" + "\n".join(rows) + "\n" for name, rows in sections.items() if rows
        )
        (out / "entries" / f"part-{part:04d}.yaml").write_text(text, encoding="utf-8")
    (out / "statement.yaml").write_text(
        "statement:\n"
        "  id: bench\n"
        "  title: Synthetic statement\n"
        "  as_of: 2005-12-31\n"
        "  phase: phase-1\n",
        encoding="utf-8",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=2002)
    parser.add_argument("--per-file", type=int, default=PER_FILE, help="entries in each file")
    args = parser.parse_args()
    generate(args.entries, args.out, args.seed, args.per_file)


if __name__ == "__main__":
    main()

"""The rates a ledger uses, and their comparison with reference rates, as rows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from wsis_ledger.compute import conversion
from wsis_ledger.compute.rate_check import Comparison
from wsis_ledger.core import money
from wsis_ledger.core.language import Phrase, word
from wsis_ledger.core.ledger import Ledger

RATE_COLUMNS = ("used_by", "currency", "rate", "basis", "date", "source")


def rates_in_use(ledger: Ledger, lang: str = "en") -> list[dict[str, object]]:
    """Each non-CHF entry's rate (recorded, derived or from the table), then the table
    (a row's period in the words of `lang`: CSV and JSON keep English)."""
    rows: list[dict[str, object]] = []
    for entry in ledger.entries:
        rate = conversion.entry_rate(entry, ledger)
        if rate is None or rate.basis == "same-currency":
            continue
        rows.append(
            {
                "used_by": entry.id,
                "currency": rate.currency,
                "rate": money.format_amount(rate.value),
                "basis": rate.basis,
                "date": entry.date.isoformat() if entry.date else None,
                "source": rate.source,
            }
        )
    for record in ledger.rates:
        when = (
            record.date.isoformat()
            if record.date
            else word(lang, "date_range", "{start} to {end}").format(
                start=record.start or "…", end=record.end or "…"
            )
        )
        rows.append(
            {
                "used_by": "rates table",
                "currency": record.currency,
                "rate": money.format_amount(record.rate),
                "basis": "table",
                "date": when,
                "source": record.source,
            }
        )
    return rows


def comparison_row(ledger: Ledger, c: Comparison, lang: str = "en") -> dict[str, object]:
    """One rate compared with its reference, for a table or JSON (the donor named in `lang`
    where the ledger gives that name)."""

    def text(value: Decimal | date | None) -> str | None:
        if value is None:
            return None
        return value.isoformat() if isinstance(value, date) else money.format_amount(value)

    return {
        "entry": c.entry.id,
        "donor": ledger.donor_name(c.entry.donor, lang),
        "kind": c.kind,
        "currency": c.recorded.currency,
        "amount": text(c.entry.amount),
        "rate": text(c.recorded.value),
        "basis": c.basis,
        "reference": text(c.reference),
        "reference_date": text(c.reference_day),
        "low": text(c.low),
        "high": text(c.high),
        "deviation_percent": text(c.deviation_percent),
        "flagged": c.flagged,
        "chf": text(c.chf),
        "chf_at_reference": text(c.chf_at_reference),
        "difference": text(c.difference),
        "within_before": text(c.nearest[0]),
        "within_after": text(c.nearest[1]),
    }


def basis_words(basis: str, lang: str) -> str:
    """`Comparison.basis` in the words of `lang` (dates as `lang` writes them): the basis is
    a `Phrase`, written from its message and dates; any other text stays as it is."""
    return basis.in_language(lang) if isinstance(basis, Phrase) else basis


def comparison_note(entry_id: str, basis: str, lang: str) -> str:
    """The line under `rates check`'s table naming what a rate was compared with."""
    return word(lang, "compared_with", "{entry}: compared with the reference rate {basis}").format(
        entry=entry_id, basis=basis_words(basis, lang)
    )

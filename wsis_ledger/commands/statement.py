"""`wsis-ledger statement add|acknowledge` and `wsis-ledger statements`: published statements."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import click

from wsis_ledger.api import records
from wsis_ledger.commands.options import (
    DATE,
    PURPOSE_TOTAL,
    STATED,
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
from wsis_ledger.core.language import counted, word
from wsis_ledger.core.problems import Problem


@click.group()
def statement() -> None:
    """Published statements of the fund: each with its date, its source and the
    totals it prints, which `check` compares with its rows.

    \b
    Examples:
      wsis-ledger statement add press-2005-03 --as-of 2005-03-31 \\
          --source "Press release, 31 March 2005, https://example.org/pr" \\
          --stated-received 882000 --data tunis
      wsis-ledger import release.csv --statement press-2005-03 --data tunis
      wsis-ledger statement acknowledge press-2005-03 --data tunis \\
          --note "the release prints 882 000; its rows add up to 881 950"
    """


@statement.command()
@click.argument("statement_id", metavar="ID")
@click.option("--as-of", "as_of", type=DATE, required=True, help="The date it is as of.")
@click.option(
    "--source",
    required=True,
    help="Where it was published: the document, its date, and a link where there is one.",
)
@click.option("--title", help="Its title (default: the source).")
@click.option(
    "--stated-received",
    type=STATED,
    help="The total received it prints (CHF): an amount, or a bound as printed: "
    "'more than 1300000', 'at least 1300000', 'about 1300000' (rounded as printed).",
)
@click.option("--stated-pledged", type=STATED, help="The total pledged it prints (CHF), as above.")
@click.option(
    "--stated",
    "stated_purposes",
    type=PURPOSE_TOTAL,
    multiple=True,
    help="A total it prints for a purpose: PURPOSE=TOTAL (received), PURPOSE:pledged=TOTAL "
    "or PURPOSE:total=TOTAL; TOTAL an amount or a bound. Repeatable.",
)
@write_options()
@by_option
@data_option
def add(
    statement_id: str,
    as_of: date,
    source: str,
    title: str | None,
    stated_received: object,
    stated_pledged: object,
    stated_purposes: tuple[tuple[str, str, object], ...],
    mode: WriteMode,
    by: str | None,
    data: Path | None,
) -> None:
    """Add a published statement ID, in a file of its own (statements/).
    Entries imported with --statement ID belong to it; `check` holds its
    printed totals (a bound as printed: more than, at least, about) against them.

    \b
    Examples:
      wsis-ledger statement add press-2005-03 --as-of 2005-03-31 \\
          --source "Press release, 31 March 2005" --stated-received 882000 --data tunis
      wsis-ledger statement add pr-2004 --as-of 2004-11-30 --source "Press release" \\
          --stated-received "more than 1300000" --stated core=1000000 --data tunis
    """
    root = writable_ledger(data, mode.lang)
    made = record(
        root,
        lambda ledger: records.statement(
            ledger,
            statement_id,
            as_of,
            source,
            title=title,
            stated_received=stated_received,
            stated_pledged=stated_pledged,
            stated_purposes=stated_purposes,
        ),
        {"id": "ID", "source": "--source"},
        by=by,
        dry_run=mode.dry_run,
        lang=mode.lang,
    )
    message = Said(lambda lang: word(lang, "said_statement", "statement {id}").format(id=made.id))
    finish(done_of(root, [made], mode.dry_run), message, mode)


@statement.command()
@click.argument("statement_id", metavar="ID")
@click.option("--note", required=True, help="What is known of the difference.")
@click.option("--date", "on", type=DATE, help="When it is acknowledged. Default: today.")
@write_options()
@by_option
@data_option
def acknowledge(
    statement_id: str,
    note: str,
    on: date | None,
    mode: WriteMode,
    by: str | None,
    data: Path | None,
) -> None:
    """Record the differences between ID's printed totals and its rows as they
    stand, with a note. `check` then lists them and exits 0; if the rows (or
    the printed figure) change later, the difference is a problem again.

    \b
    Examples:
      wsis-ledger statement acknowledge press-2005-03 --data tunis \\
          --note "the release prints 882 000; its rows add up to 881 950"
    """
    root = writable_ledger(data, mode.lang)
    made = record(
        root,
        lambda ledger: records.acknowledgement(ledger, statement_id, note, on or date.today()),
        {"statement": "ID", "note": "--note"},
        by=by,
        dry_run=mode.dry_run,
        lang=mode.lang,
    )
    count = 1 + len(made.more)
    message = Said(
        lambda lang: counted(
            lang,
            "said_acknowledge",
            "{count} difference of {statement}",
            "{count} differences of {statement}",
            count,
            statement=statement_id,
        ),
        "acknowledged",
    )
    finish(done_of(root, [made], mode.dry_run), message, mode)


COLUMNS = ("id", "as_of", "source", "total", "stated", "computed", "state")


@click.command()
@data_option
@format_option("table", "markdown", "csv", "json")
@as_of_option
@wide_option
@lang_option
@document_output
def statements(data: Path | None, fmt: str, as_of: date | None, wide: bool, lang: str) -> None:
    """Each statement: its date, source, printed and computed totals, and its
    state (agrees, differs by N, acknowledged).

    \b
    Examples:
      wsis-ledger statements
      wsis-ledger statements --format json | jq '.statements[] | .state'
      wsis-ledger statements --as-of 2003-06-30 -o statements.txt
      wsis-ledger statements --lang ru
    """
    from wsis_ledger.render.json_parts import statement_to_json
    from wsis_ledger.render.labels import value_word
    from wsis_ledger.render.rows import render_rows

    findings: list[Problem] = []
    infos = open_ledger(data, findings=findings, lang=lang).position(as_of).statements
    if fmt == "json":
        from wsis_ledger.core.json_schema import versioned

        document = versioned({"statements": [statement_to_json(s) for s in infos]})
        from wsis_ledger.render.escape import json_document

        click.echo(json_document(document))
        return
    # CSV keeps its values in English (a stable interface); a table says them in `lang`.
    shown_in = "en" if fmt == "csv" else lang
    rows: list[dict[str, Any]] = []
    for info in infos:
        first: dict[str, Any] = {
            "id": info.id,
            "as_of": info.as_of.isoformat(),
            "source": info.source,
        }
        if not info.figures:
            rows.append(first | {"state": value_word("no printed totals", shown_in)})
        for figure in info.figures:
            rows.append(
                first
                | {
                    "total": value_word(figure.total, shown_in)
                    + (f" ({figure.purpose})" if figure.purpose else ""),
                    "stated": figure.printed
                    if figure.bound
                    else money.format_amount(figure.stated),
                    "computed": money.format_amount(figure.computed),
                    "state": _state(figure.state, figure.difference, shown_in),
                }
            )
    from wsis_ledger.render.labels import field_headings

    if fmt == "csv":  # field names and plain digits
        click.echo(render_rows(rows, COLUMNS, fmt), nl=False)
        return
    named = field_headings({c: "which_total" if c == "total" else c for c in COLUMNS}, lang)
    table = render_rows(
        rows,
        COLUMNS,
        fmt,
        headings=named,
        amounts=("stated", "computed"),
        width=table_width(wide) if fmt == "table" else None,
        optional=("source",),
        lang=lang,
    )
    click.echo(table, nl=False)


def statements_schema() -> dict[str, object]:
    """The schema of `statements --format json`."""
    from wsis_ledger.core.json_schema import array, document
    from wsis_ledger.render.json_parts import statement_schema

    return document(
        "wsis-ledger statements --format json",
        "Each published statement: its source, state, and each printed total beside its rows.",
        {"statements": array(statement_schema())},
    )


def _state(state: str, difference: Decimal, lang: str) -> str:
    """A statement's state as its table says it: `agrees`, `differs by +1 234`, ..."""
    from wsis_ledger.core.language import number, word
    from wsis_ledger.render.labels import value_word

    if state != "differs":
        return value_word(state, lang)
    sign = "+" if difference > 0 else ""
    return word(lang, "differs_by", "differs by {difference}").format(
        difference=sign + number(difference, lang)
    )

"""`wsis-ledger budget`: budget against actual, per phase and budget line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from wsis_ledger.commands.options import (
    as_of_option,
    data_option,
    document_output,
    format_option,
    lang_option,
    open_ledger,
    table_width,
    wide_option,
)


@click.command()
@click.option("--phase", help="Only this phase (its id).")
@data_option
@format_option("table", "markdown", "csv", "json")
@as_of_option
@wide_option
@lang_option
@document_output
def budget(
    phase: str | None, data: Path | None, fmt: str, as_of: date | None, wide: bool, lang: str
) -> None:
    """Budget against actual: for each budget line (`budget_lines:`), its
    budget, the expenditure and support costs on its purpose (sub-purposes
    included), what remains and the per cent used; each phase's lines
    together; and what was spent outside the lines.

    \b
    Examples:
      wsis-ledger budget --data my-fund
      wsis-ledger budget --phase phase-1 --as-of 2024-03-31 --format json --data my-fund
      wsis-ledger budget --lang fr
    """
    import json

    from wsis_ledger.render.budget import (
        AMOUNTS,
        COLUMNS,
        WORDS,
        budget_document,
        budget_rows,
        headings,
    )
    from wsis_ledger.render.labels import value_word
    from wsis_ledger.render.rows import render_rows

    ledger = open_ledger(data, lang=lang)
    phases = [p.id for p in ledger.records.fund.phases]
    if phase is not None and phase not in phases:
        raise click.BadParameter(
            f"there is no phase '{phase}' (the fund has: {', '.join(phases) or 'none'})",
            param_hint="--phase",
        )
    position = ledger.position(as_of)
    if fmt == "json":  # the lines alone in `lines`: summing them gives each phase's total
        document = budget_document(position, phase)
        click.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    # Without budget lines, everything spent is outside them (shown, exit 0).
    rows = budget_rows(position, phase)
    if fmt == "csv":  # a stable interface: field names and plain digits
        click.echo(render_rows(rows, COLUMNS, fmt, key="lines"), nl=False)
        return
    table = render_rows(
        [r | {"line": value_word(r["line"], lang)} if r["line"] in WORDS else r for r in rows],
        COLUMNS,
        fmt,
        "lines",
        headings=headings(lang),
        amounts=AMOUNTS,
        width=table_width(wide) if fmt == "table" else None,
        optional=("purpose", "support_costs", "phase"),
        lang=lang,
    )
    click.echo(table, nl=False)
    if not position.spending.recorded:
        from wsis_ledger.render.labels import label

        click.echo(label("no_expenditure", lang))

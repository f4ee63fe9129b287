"""`wsis-ledger donor`: one donor's statement."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from wsis_ledger.commands.options import (
    as_of_option,
    data_option,
    document_output,
    echo_wrapped,
    format_option,
    lang_option,
    open_ledger,
    table_width,
    wide_option,
)


@click.command()
@click.argument("name")
@data_option
@format_option("table", "markdown", "csv", "json")
@lang_option
@as_of_option
@wide_option
@document_output
def donor(
    name: str, data: Path | None, fmt: str, lang: str, as_of: date | None, wide: bool
) -> None:
    """One donor's statement: everything NAME (an id, a name or an alias)
    gave, pledged and paid, with what remains of each pledge, and the staff
    and facilities it provided; with totals.

    \b
    Examples:
      wsis-ledger donor sdc
      wsis-ledger donor "Government of Japan" --format json
      wsis-ledger donor 日本政府 --lang zh
      wsis-ledger donor sdc --format csv -o sdc.csv
    """
    from wsis_ledger.api import DonorIndex
    from wsis_ledger.render import provenance
    from wsis_ledger.render.donor import (
        AMOUNTS,
        COLUMNS,
        donor_rows,
        donor_spending,
        donor_totals,
        headings,
        summary_lines,
        table_columns,
    )
    from wsis_ledger.render.labels import experts_text, label, table_values
    from wsis_ledger.render.rows import render_rows

    ledger = open_ledger(data, lang=lang)
    index = DonorIndex(ledger.records)
    donor_id = index.find(name)
    if donor_id is None:
        close = index.suggest(name)
        hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        raise click.BadParameter(f"there is no donor '{name}'{hint}", param_hint="NAME")
    position = ledger.position(as_of, lang)
    rows = donor_rows(position, donor_id)
    totals = donor_totals(position, donor_id)
    spending = donor_spending(position, donor_id)
    record = ledger.records.donor_by_id[donor_id]
    who: dict[str, object] = {
        "id": donor_id,
        "name": ledger.records.donor_name(donor_id, lang),
        # True where the name shown or the kind is the ledger's reading, not the source's.
        "reading": "name" in record.readings and not (lang == "zh" and record.name.zh),
        "kind": record.kind,
        "kind_reading": "kind" in record.readings,
    }
    if fmt == "json":
        from wsis_ledger.core.json_schema import SCHEMA_VERSION

        document = {
            "schema_version": SCHEMA_VERSION,
            "donor": who,
            "rows": rows,
            "totals": totals,
            "spending": spending,
            "generated": provenance.generated_json(provenance.now()),
            "sources": provenance.sources_json(position),
        }
        from wsis_ledger.render.escape import json_document

        click.echo(json_document(document))
        return
    from wsis_ledger.render import escape

    # Each line of ledger text printed here is escaped as its format needs (`escape`).
    shown_line = escape.markdown_cell if fmt == "markdown" else escape.visible
    if fmt != "csv":
        name = f"{who['name']} †" if who["reading"] else str(who["name"])
        kind = str(table_values([who], ("kind",), lang)[0]["kind"])
        kind = f"{kind} †" if who["kind_reading"] else kind
        from wsis_ledger.core.language import word

        shown_who = word(lang, "donor_heading", "{name} ({id}, {kind})")
        shown_who = shown_who.format(name=name, id=who["id"], kind=kind)
        click.echo(shown_line(shown_who) + "\n")
    if fmt == "csv":  # a stable interface: field names and plain digits
        click.echo(render_rows(rows, COLUMNS, fmt, key="rows"), nl=False)
        return
    shown = table_values(rows, ("kind", "status", "currency"), lang)
    for row in shown:
        if row.get("experts") is not None:
            row["experts"] = experts_text(int(str(row["experts"])), lang)
    width = table_width(wide) if fmt == "table" else None
    table = render_rows(
        shown,
        table_columns(rows),
        fmt,
        "rows",
        headings=headings(lang),
        amounts=AMOUNTS,
        width=width,
        lang=lang,
        optional=("date", "status", "amount", "currency"),
    )
    click.echo(table, nl=False)
    click.echo("")
    for line in summary_lines(totals, spending, lang):
        echo_wrapped(shown_line(line), width)
    if who["reading"] or who["kind_reading"]:
        echo_wrapped(label("reading_short", lang), width)
    for line in provenance.source_lines(position):
        echo_wrapped(shown_line(f"{label('source', lang)}: {line}"), width)


def donor_schema() -> dict[str, object]:
    """The schema of `donor --format json`."""
    from wsis_ledger.core.json_schema import (
        AMOUNT,
        COUNT,
        FLAG,
        N_AMOUNT,
        N_COUNT,
        N_TEXT,
        TEXT,
        document,
        obj,
        rows,
    )
    from wsis_ledger.render import provenance
    from wsis_ledger.render.donor import AMOUNTS, COLUMNS

    who = {"id": TEXT, "name": TEXT, "reading": FLAG, "kind": N_TEXT, "kind_reading": FLAG}
    totals = {"received": AMOUNT, "pledged": AMOUNT, "pledged_at_booking": AMOUNT}
    spending = ("purpose", "received", "expenditure", "support_costs", "balance")
    return document(
        "wsis-ledger donor --format json",
        "One donor's statement: every record the ledger holds for it, and its totals.",
        {
            "donor": obj(who),
            # A row has the keys its kind has (a secondment no date): kind and id always.
            "rows": rows(
                COLUMNS,
                AMOUNTS,
                {"kind": TEXT, "id": TEXT, "experts": N_COUNT},
                optional=COLUMNS[2:],
            ),
            "totals": obj(
                {**totals, "exchange_difference": AMOUNT, "experts": COUNT, "refunded": N_AMOUNT}
            ),
            "spending": rows(spending, spending[1:]),
            "generated": provenance.generated_schema(),
            "sources": provenance.sources_schema(),
        },
    )

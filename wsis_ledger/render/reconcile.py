"""Two statements side by side (`compute.reconcile`) as a table, Markdown, CSV, JSON or HTML.

Every format has the same rows: one a donor, then the totals (the sums of the
rows, and each side's figures as its statement's rows add up); the purposes
where both sides give purposes; the suggestions a reader may act on.
"""

from __future__ import annotations

import json
from decimal import Decimal
from html import escape
from typing import Any

from wsis_ledger.compute.reconcile import Reconciliation
from wsis_ledger.core import json_schema, money
from wsis_ledger.core.json_schema import (
    AMOUNT,
    DAY,
    N_AMOUNT,
    N_TEXT,
    SCHEMA_VERSION,
    SIGNED,
    TEXT,
    Schema,
    array,
    obj,
)
from wsis_ledger.core.language import (
    TAGS,
    Message,
    day,
    is_right_to_left,
    msg,
    number,
    translate,
    word,
)
from wsis_ledger.render.rows import render_rows

COLUMNS = (
    "donor",
    "a_id",
    "b_id",
    "a_received",
    "b_received",
    "received_difference",
    "a_pledged",
    "b_pledged",
    "pledged_difference",
    "presence",
    "matched_by",
)
AMOUNTS = (
    "a_received",
    "b_received",
    "received_difference",
    "a_pledged",
    "b_pledged",
    "pledged_difference",
)
PURPOSE_COLUMNS = (
    "purpose",
    "a_received",
    "b_received",
    "received_difference",
    "a_pledged",
    "b_pledged",
    "pledged_difference",
)


#: Where a donor is listed, and how the two sides' donors were matched, in words (JSON and
#: CSV keep the English, which scripts read).
PRESENCE: dict[str, Message] = {
    "both": msg("reconcile_presence", "both"),
    "only in A": msg("reconcile_presence", "only in A"),
    "only in B": msg("reconcile_presence", "only in B"),
}
MATCHED_BY: dict[str, Message] = {
    "id": msg("reconcile_matched_by", "id"),
    "name": msg("reconcile_matched_by", "name"),
    "alias": msg("reconcile_matched_by", "alias"),
}


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else money.format_amount(value)


def _signed(value: Decimal) -> str:
    return f"{value:+f}" if value else "0"


def headings(rec: Reconciliation) -> dict[str, str]:
    """Each column's heading, in the reconciliation's language."""
    a, b, lang = rec.a.statement.id, rec.b.statement.id, rec.lang
    return {
        "donor": word(lang, "reconcile_donor", "Donor"),
        "a_id": word(lang, "reconcile_a_id", "Id in A ({statement})").format(statement=a),
        "b_id": word(lang, "reconcile_b_id", "Id in B ({statement})").format(statement=b),
        "a_received": word(lang, "reconcile_a_received", "A received (CHF)"),
        "b_received": word(lang, "reconcile_b_received", "B received (CHF)"),
        "received_difference": word(lang, "reconcile_received_difference", "Received: B − A"),
        "a_pledged": word(lang, "reconcile_a_pledged", "A pledged (CHF)"),
        "b_pledged": word(lang, "reconcile_b_pledged", "B pledged (CHF)"),
        "pledged_difference": word(lang, "reconcile_pledged_difference", "Pledged: B − A"),
        "presence": word(lang, "reconcile_in", "In"),
        "matched_by": word(lang, "reconcile_matched", "Matched by"),
        "purpose": word(lang, "reconcile_purpose", "Purpose"),
    }


def donor_rows(rec: Reconciliation, lang: str = "en") -> list[dict[str, Any]]:
    """One row a donor, then the total row (the sums of the rows); the words of a row
    (where a donor is, how it was matched, the total's name) in `lang`."""
    rows = [
        {
            "donor": r.name,
            "a_id": r.a_id,
            "b_id": r.b_id,
            "a_received": _amount(r.a_received),
            "b_received": _amount(r.b_received),
            "received_difference": _signed(r.received_difference),
            "a_pledged": _amount(r.a_pledged),
            "b_pledged": _amount(r.b_pledged),
            "pledged_difference": _signed(r.pledged_difference),
            "presence": translate(PRESENCE[r.presence], lang),
            "matched_by": None
            if r.matched_by is None
            else translate(MATCHED_BY[r.matched_by], lang),
        }
        for r in rec.rows
    ]
    rows.append(
        {
            "donor": word(lang, "reconcile_total", "Total"),
            "a_received": _amount(rec.a_received),
            "b_received": _amount(rec.b_received),
            "received_difference": _signed(rec.b_received - rec.a_received),
            "a_pledged": _amount(rec.a_pledged),
            "b_pledged": _amount(rec.b_pledged),
            "pledged_difference": _signed(rec.b_pledged - rec.a_pledged),
        }
    )
    return rows


def purpose_rows(rec: Reconciliation, lang: str = "en") -> list[dict[str, Any]]:
    unstated = word(lang, "reconcile_no_purpose", "(no purpose stated)")
    return [
        {
            "purpose": p.purpose or unstated,
            "a_received": _amount(p.a_received),
            "b_received": _amount(p.b_received),
            "received_difference": _signed(p.received_difference),
            "a_pledged": _amount(p.a_pledged),
            "b_pledged": _amount(p.b_pledged),
            "pledged_difference": _signed(p.pledged_difference),
        }
        for p in rec.purposes
    ]


def reconcile_schema() -> Schema:
    """The schema of `document` (`reconcile --format json`)."""
    differences = {"received_difference": SIGNED, "pledged_difference": SIGNED}
    side = {"statement": TEXT, "as_of": DAY, "source": N_TEXT, "ledger": TEXT}
    side |= {"received": AMOUNT, "pledged": AMOUNT}
    sides = {f"{s}_{k}": N_AMOUNT for k in ("received", "pledged") for s in "ab"}
    suggestion = {"a_id": TEXT, "b_id": TEXT, "a_name": TEXT, "b_name": TEXT}
    suggestion |= {"similarity": TEXT, "alias_line": TEXT}
    rows = json_schema.rows
    return json_schema.document(
        "wsis-ledger reconcile --format json",
        "Two statements side by side, donor by donor, with each difference.",
        {
            "a": obj(side),
            "b": obj(side),
            "donors": rows(COLUMNS, AMOUNTS, differences),
            "totals": obj({**sides, **differences}),
            "purposes": rows(PURPOSE_COLUMNS, AMOUNTS, {"purpose": TEXT, **differences}),
            "suggestions": array(obj(suggestion)),
            "not_merged": array(obj({"side": TEXT, "donor": TEXT, "matches": array(TEXT)})),
        },
    )


def notes(rec: Reconciliation) -> list[str]:
    """The suggestions (never merged) and the donors matched more than once, in words
    (the reconciliation's language)."""
    lang = rec.lang
    suggestion = word(
        lang,
        "reconcile_suggestion",
        "suggestion: '{b_name}' ({b_id}, only in B) may be '{a_name}' ({a_id}, only in A); "
        "not merged. To make it certain, add to donor '{a_id}' in A's ledger: {alias_line}",
    )
    lines = [
        suggestion.format(
            b_name=s.b_name, b_id=s.b_id, a_name=s.a_name, a_id=s.a_id, alias_line=s.alias_line
        )
        for s in rec.suggestions
    ]
    ambiguous = word(
        lang,
        "reconcile_not_merged",
        "not merged: '{donor}' of {side} matches more than one donor of the other side "
        "({others}); give each its own aliases",
    )
    separator = word(lang, "list_separator", ", ")
    lines += [
        ambiguous.format(donor=donor_id, side=side, others=separator.join(others))
        for side, donor_id, others in rec.ambiguous
    ]
    return lines


def document(rec: Reconciliation) -> dict[str, Any]:
    """The JSON document."""
    rows = donor_rows(rec)
    return {
        "schema_version": SCHEMA_VERSION,
        "a": _side(rec, "a"),
        "b": _side(rec, "b"),
        "donors": rows[:-1],
        "totals": {k: v for k, v in rows[-1].items() if k != "donor"},
        "purposes": purpose_rows(rec),
        "suggestions": [
            {
                "a_id": s.a_id,
                "b_id": s.b_id,
                "a_name": s.a_name,
                "b_name": s.b_name,
                "similarity": str(s.ratio),
                "alias_line": s.alias_line,
            }
            for s in rec.suggestions
        ],
        "not_merged": [
            {"side": side, "donor": donor_id, "matches": list(others)}
            for side, donor_id, others in rec.ambiguous
        ],
    }


def _side(rec: Reconciliation, which: str) -> dict[str, Any]:
    side = rec.a if which == "a" else rec.b
    return {
        "statement": side.statement.id,
        "as_of": side.statement.as_of.isoformat(),
        "source": side.statement.source.get(rec.lang) if side.statement.source else None,
        "ledger": side.ledger.root.name,
        "received": _amount(side.total_received),
        "pledged": _amount(side.total_pledged),
    }


def render(rec: Reconciliation, fmt: str) -> str:
    """The reconciliation in `fmt`: table, markdown, csv, json or html."""
    if fmt == "json":
        return json.dumps(document(rec), ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        rows = [{"section": "donor", **r} for r in donor_rows(rec)]
        rows[-1]["section"] = "total"
        rows += [{"section": "purpose", **r} for r in purpose_rows(rec)]
        rows += [
            {"section": "suggestion", "a_id": s.a_id, "b_id": s.b_id, "donor": s.b_name}
            | {"matched_by": s.alias_line}
            for s in rec.suggestions
        ]
        columns = ("section", *COLUMNS, "purpose")
        return render_rows(rows, columns, "csv")
    if fmt == "html":
        return _html(rec)
    heads, lang = headings(rec), rec.lang
    out = [_title(rec, fmt), ""]
    donors = donor_rows(rec, lang)
    out.append(render_rows(donors, COLUMNS, fmt, headings=heads, amounts=AMOUNTS, lang=lang))
    if rec.purposes:
        by_purpose = word(lang, "reconcile_by_purpose", "By purpose")
        out += [by_purpose if fmt == "table" else f"## {by_purpose}", ""]
        purposes = purpose_rows(rec, lang)
        out.append(
            render_rows(purposes, PURPOSE_COLUMNS, fmt, headings=heads, amounts=AMOUNTS, lang=lang)
        )
    out += notes(rec)
    return "\n".join(out).rstrip("\n") + "\n"


def _title(rec: Reconciliation, fmt: str) -> str:
    a, b = rec.a.statement, rec.b.statement
    text = word(
        rec.lang, "reconcile_title", "A: {a} (as of {a_date}) beside B: {b} (as of {b_date})"
    ).format(a=a.id, a_date=day(a.as_of, rec.lang), b=b.id, b_date=day(b.as_of, rec.lang))
    return f"# {text}" if fmt == "markdown" else text


def _html(rec: Reconciliation) -> str:
    heads, lang = headings(rec), rec.lang
    direction = ' dir="rtl"' if is_right_to_left(lang) else ""
    title = word(lang, "reconcile_html_title", "Reconciliation")
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{TAGS.get(lang, "en")}"{direction}>',
        f'<head><meta charset="utf-8"><title>{escape(title)}</title></head>',
        "<body>",
        f"<h1>{escape(_title(rec, 'table'))}</h1>",
        _html_table(donor_rows(rec, lang), COLUMNS, heads, lang),
    ]
    if rec.purposes:
        by_purpose = escape(word(lang, "reconcile_by_purpose", "By purpose"))
        purposes = _html_table(purpose_rows(rec, lang), PURPOSE_COLUMNS, heads, lang)
        parts += [f"<h2>{by_purpose}</h2>", purposes]
    parts += [f'<p class="note">{escape(line)}</p>' for line in notes(rec)]
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def _html_table(
    rows: list[dict[str, Any]], columns: tuple[str, ...], heads: dict[str, str], lang: str
) -> str:
    head = "".join(f"<th>{escape(heads[c])}</th>" for c in columns)
    body = []
    for row in rows:
        cells = []
        for c in columns:
            value = row.get(c)
            text = "" if value is None else str(value)
            if c in AMOUNTS and text and c not in ("received_difference", "pledged_difference"):
                text = number(Decimal(text), lang)
            cells.append(f"<td>{escape(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table>\n<tr>{head}</tr>\n" + "\n".join(body) + "\n</table>"

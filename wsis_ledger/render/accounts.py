"""The fund's accounts as a table, Markdown, CSV, JSON, an HTML document to sign, or Excel.

`statements(accounts)` lays the accounts out once, as statements of rows
(sources and uses; position at the period's end) and notes of small tables;
every format writes that layout, so no two formats can show different lines.
The writers only format: the figures are `compute.accounts`'.

The HTML is a document to print and sign: CSS paged media gives it a running
header (fund, statement, period), "page N of M" in the footer, headings kept
with what follows them; its first page states the basis of preparation and
the date the accounts are as of; it ends with a signature block. It names
nothing of the machine it was made on.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from wsis_ledger.compute.accounts import Accounts
from wsis_ledger.core import money
from wsis_ledger.core.language import (
    TAGS,
    Message,
    day,
    is_right_to_left,
    msg,
    translate,
)
from wsis_ledger.core.language import number as figure
from wsis_ledger.render import escape, provenance
from wsis_ledger.render.escape import html_text as html_escape

FORMATS = ("table", "markdown", "csv", "json", "html", "xlsx", "pdf")

WORDS: dict[str, Message] = {
    "title": msg("accounts_title", "Financial statements"),
    "sources_uses": msg("accounts_sources_uses", "Statement of sources and uses of funds"),
    "position": msg("accounts_position", "Statement of financial position as at {date}"),
    "notes": msg("accounts_notes", "Notes to the financial statements"),
    "period": msg("accounts_period", "for the period {start} to {end}"),
    "as_of": msg("accounts_as_of", "As of {date}. All amounts in CHF."),
    "line": msg("accounts_line", "Line"),
    "opening": msg("accounts_opening", "Opening balance"),
    "sources": msg("accounts_sources", "Sources of funds"),
    "total_sources": msg("accounts_total_sources", "Total sources"),
    "uses": msg("accounts_uses", "Uses of funds"),
    "total_uses": msg("accounts_total_uses", "Total uses"),
    "change": msg("accounts_change", "Change in balance"),
    "closing": msg("accounts_closing", "Closing balance"),
    "assets": msg("accounts_assets", "Assets"),
    "cash": msg("accounts_cash", "Cash"),
    "receivable": msg(
        "accounts_receivable", "Contributions receivable (signed agreements not yet paid)"
    ),
    "total_assets": msg("accounts_total_assets", "Total assets"),
    "liabilities": msg("accounts_liabilities", "Liabilities"),
    "loans_payable": msg("accounts_loans_payable", "Loans payable"),
    "total_liabilities": msg("accounts_total_liabilities", "Total liabilities"),
    "net_assets": msg("accounts_net_assets", "Net assets"),
    "restricted": msg("accounts_restricted", "Restricted: {purpose}"),
    "unrestricted": msg("accounts_unrestricted", "Unrestricted"),
    "total_net_assets": msg("accounts_total_net_assets", "Total net assets"),
    "liabilities_net_assets": msg(
        "accounts_liabilities_net_assets", "Total liabilities and net assets"
    ),
    "chf": msg("accounts_chf", "CHF"),
    "basis_note": msg("accounts_basis_note", "Basis of preparation"),
    "controls_note": msg("accounts_controls_note", "Closed periods and approvals"),
    "basis_cash": msg(
        "accounts_basis_cash",
        "Cash basis: contributions are counted when received; signed agreements not yet paid "
        "are disclosed below, not counted.",
    ),
    "basis_accrual": msg(
        "accounts_basis_accrual",
        "Modified accrual basis: contributions are counted when received, and signed "
        "agreements not yet paid as contributions receivable. Announced pledges are disclosed"
        " below, never counted as revenue or a receivable.",
    ),
    "basis_default": msg(
        "accounts_basis_default",
        "(The ledger does not state its basis: `fund.basis`; this is the default.)",
    ),
    "basis_ipsas": msg(
        "accounts_basis_ipsas",
        "Figures are the ledger's, in CHF at the booked rates; exchange differences realised "
        "on payments of pledges are shown on their own lines.",
    ),
    "pledges_note": msg(
        "accounts_pledges_note", "Pledges not counted (announced, or on a cash basis not yet paid)"
    ),
    "pledge": msg("accounts_pledge", "Pledge"),
    "donor": msg("accounts_donor", "Donor"),
    "outstanding": msg("accounts_outstanding", "Outstanding (CHF)"),
    "signed": msg("accounts_signed", "Signed agreement"),
    "yes": msg("accounts_yes", "yes"),
    "no": msg("accounts_no", "no"),
    "none": msg("accounts_none", "None."),
    "in_kind_note": msg(
        "accounts_in_kind_note",
        "Contributions in kind (disclosed; valued only where the source gives a value)",
    ),
    "kind": msg("accounts_kind", "Kind"),
    "what": msg("accounts_what", "What"),
    "value": msg("accounts_value", "Value (CHF)"),
    "not_valued": msg("accounts_not_valued", "not valued"),
    "seconded": msg("accounts_seconded", "Seconded experts"),
    "facilities": msg("accounts_facilities", "Facilities"),
    "staff": msg("accounts_staff", "Staff"),
    "direct_support": msg("accounts_direct_support", "Direct support"),
    "differences_note": msg(
        "accounts_differences_note", "Printed totals that differ from their rows"
    ),
    "statement": msg("accounts_statement", "Statement"),
    "total": msg("accounts_total", "Total"),
    "printed": msg("accounts_printed", "Printed"),
    "computed": msg("accounts_computed", "Rows add up to"),
    "difference": msg("accounts_difference", "Difference"),
    "acknowledged": msg("accounts_acknowledged", "Acknowledged"),
    "not_acknowledged": msg("accounts_not_acknowledged", "not acknowledged"),
    "rates_note": msg("accounts_rates_note", "Rates used"),
    "currency": msg("accounts_currency", "Currency"),
    "rate": msg("accounts_rate", "CHF per unit"),
    "rate_basis": msg("accounts_rate_basis", "Basis"),
    "source": msg("accounts_source", "Source"),
    "drawings_note": msg(
        "accounts_drawings_note", "Loan drawings in the period and their stated use"
    ),
    "drawing": msg("accounts_drawing", "Drawing"),
    "facility": msg("accounts_facility", "Facility"),
    "lender": msg("accounts_lender", "Lender"),
    "date": msg("accounts_date", "Date"),
    "amount": msg("accounts_amount", "Amount (CHF)"),
    "use": msg("accounts_use", "Use"),
    "prepared_by": msg("accounts_prepared_by", "Prepared by"),
    "certified_by": msg("accounts_certified_by", "Certified by"),
    "name": msg("accounts_name", "Name"),
    "title_of": msg("accounts_title_of", "Title"),
    "signature": msg("accounts_signature", "Signature and date"),
    "page": msg("accounts_page", "page"),
    "of": msg("accounts_of", "of"),
}


@dataclass(frozen=True)
class Row:
    """A line of a statement: its stable key, its label, a figure per column (None: a
    heading without figures), and how it is shown (`heading`, `line`, `total`)."""

    key: str
    label: str
    values: tuple[Decimal, ...] | None
    style: str = "line"
    depth: int = 0


@dataclass(frozen=True)
class Statement:
    key: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Note:
    key: str
    title: str
    text: tuple[str, ...] = ()
    headers: tuple[str, ...] = ()
    #: Each row's cells: text, or a Decimal shown as an amount.
    rows: tuple[tuple[str | Decimal | None, ...], ...] = ()
    amounts: frozenset[int] = field(default_factory=frozenset)


def words(lang: str) -> dict[str, str]:
    """Every word of the accounts in `lang` (the catalogs' `accounts_*` keys)."""
    return {key: translate(message, lang) for key, message in WORDS.items()}


def statements(accounts: Accounts) -> tuple[Statement, Statement]:
    """Sources and uses, and the position at the period's end, as rows."""
    w = words(accounts.lang)
    flows = [
        Row("opening", w["opening"], accounts.opening, "total"),
        Row("sources", w["sources"], None, "heading"),
        *(_row(line.key, line.label, line.values, line.depth) for line in accounts.sources),
        Row("total_sources", w["total_sources"], accounts.total_sources, "total"),
        Row("uses", w["uses"], None, "heading"),
        *(_row(line.key, line.label, line.values, line.depth) for line in accounts.uses),
        Row("total_uses", w["total_uses"], accounts.total_uses, "total"),
        Row("change", w["change"], accounts.change, "total"),
        Row("closing", w["closing"], accounts.closing, "total"),
    ]
    p = accounts.position

    def one(value: Decimal) -> tuple[Decimal, ...]:
        return (value,)

    position_rows = [
        Row("assets", w["assets"], None, "heading"),
        Row("cash", w["cash"], one(p.cash)),
        Row("receivable", w["receivable"], one(p.receivable)),
        Row("total_assets", w["total_assets"], one(p.assets), "total"),
        Row("liabilities", w["liabilities"], None, "heading"),
        Row("loans_payable", w["loans_payable"], one(p.loans_payable)),
        Row("total_liabilities", w["total_liabilities"], one(p.liabilities), "total"),
        Row("net_assets", w["net_assets"], None, "heading"),
        *(
            Row(f"restricted:{purpose}", w["restricted"].format(purpose=purpose), one(amount))
            for purpose, amount in p.restricted
        ),
        Row("unrestricted", w["unrestricted"], one(p.unrestricted)),
        Row("total_net_assets", w["total_net_assets"], one(p.net_assets), "total"),
        Row(
            "liabilities_net_assets",
            w["liabilities_net_assets"],
            one(p.liabilities + p.net_assets),
            "total",
        ),
    ]
    return (
        Statement(
            "sources_uses",
            w["sources_uses"],
            tuple(c.label for c in accounts.columns),
            tuple(flows),
        ),
        Statement(
            "position",
            w["position"].format(date=day(accounts.end, accounts.lang)),
            (accounts.end.isoformat(),),
            tuple(position_rows),
        ),
    )


def _row(key: str, label: str, values: tuple[Decimal, ...], depth: int) -> Row:
    return Row(key, label, values, "line", depth)


def notes(accounts: Accounts) -> tuple[Note, ...]:
    """The notes: basis, pledges not counted, in kind, differences, rates, loan drawings."""
    w = words(accounts.lang)
    n = accounts.notes
    basis = [w["basis_cash"] if n.basis == "cash" else w["basis_accrual"], w["basis_ipsas"]]
    if n.basis_default:
        basis.append(w["basis_default"])
    kinds = {k: w[k] for k in ("seconded", "facilities", "staff", "direct_support")}
    from wsis_ledger.render.layout import controls_text

    controlled = controls_text(accounts.controls, accounts.lang)
    return (
        Note("basis", w["basis_note"], tuple(basis)),
        *([Note("controls", w["controls_note"], controlled)] if controlled else []),
        Note(
            "pledges",
            w["pledges_note"],
            headers=(w["pledge"], w["donor"], w["outstanding"], w["signed"]),
            rows=tuple(
                (p.id, p.donor, p.outstanding, w["yes"] if p.signed else w["no"]) for p in n.pledges
            ),
            amounts=frozenset({2}),
        ),
        Note(
            "in_kind",
            w["in_kind_note"],
            headers=(w["kind"], w["donor"], w["what"], w["value"]),
            rows=tuple(
                (
                    kinds[i.kind],
                    i.donor,
                    i.what,
                    i.value if i.value is not None else w["not_valued"],
                )
                for i in n.in_kind
            ),
            amounts=frozenset({3}),
        ),
        Note(
            "differences",
            w["differences_note"],
            headers=(
                w["statement"],
                w["total"],
                w["printed"],
                w["computed"],
                w["difference"],
                w["acknowledged"],
            ),
            rows=tuple(
                (
                    d.statement,
                    d.total + (f" ({d.purpose})" if d.purpose else ""),
                    d.printed,
                    d.computed,
                    d.difference,
                    (
                        f"{d.acknowledged_on.isoformat()}: {d.note or ''}".rstrip(": ")
                        if d.acknowledged_on
                        else w["not_acknowledged"]
                    ),
                )
                for d in n.differences
            ),
            amounts=frozenset({2, 3, 4}),
        ),
        Note(
            "rates",
            w["rates_note"],
            headers=(w["currency"], w["rate"], w["rate_basis"], w["source"]),
            rows=tuple(
                (r.currency, money.format_amount(r.rate), r.basis, r.source or "") for r in n.rates
            ),
        ),
        Note(
            "drawings",
            w["drawings_note"],
            headers=(w["drawing"], w["facility"], w["lender"], w["date"], w["amount"], w["use"]),
            rows=tuple(
                (d.id, d.facility, d.lender, d.date.isoformat(), d.amount, d.use or "")
                for d in n.drawings
            ),
            amounts=frozenset({4}),
        ),
    )


def period_line(accounts: Accounts) -> str:
    return words(accounts.lang)["period"].format(
        start=day(accounts.start, accounts.lang), end=day(accounts.end, accounts.lang)
    )


def render_accounts(accounts: Accounts, fmt: str) -> str:
    """The accounts as `table`, `markdown`, `csv`, `json` or `html` text."""
    if fmt == "json":
        return escape.json_document(to_json(accounts)) + "\n"
    if fmt == "csv":
        return _csv(accounts)
    if fmt == "html":
        return html(accounts)
    return _text(accounts, markdown=fmt == "markdown")


def _amount(value: Decimal) -> str:
    return money.format_amount(value)


def to_json(accounts: Accounts) -> dict[str, Any]:
    """The accounts as JSON: amounts as strings of plain digits, keys stable."""
    made = provenance.now()
    documents = []
    for statement in statements(accounts):
        documents.append(
            {
                "statement": statement.key,
                "title": statement.title,
                "columns": list(statement.columns),
                "lines": [
                    {
                        "key": row.key,
                        "label": row.label,
                        "kind": row.style,
                        "depth": row.depth,
                        "values": [_amount(v) for v in row.values] if row.values else None,
                    }
                    for row in statement.rows
                ],
            }
        )
    return {
        "fund": {"id": accounts.fund_id, "name": accounts.fund},
        "period": {"start": accounts.start.isoformat(), "end": accounts.end.isoformat()},
        "basis": accounts.notes.basis,
        "basis_stated": not accounts.notes.basis_default,
        "statements": documents,
        "notes": [
            {
                "note": note.key,
                "title": note.title,
                "text": list(note.text),
                "headers": list(note.headers),
                "rows": [[_json_cell(c) for c in row] for row in note.rows],
            }
            for note in notes(accounts)
        ],
        "signatures": {
            "prepared_by": {"name": accounts.prepared_by[0], "title": accounts.prepared_by[1]},
            "certified_by": {"name": accounts.certified_by[0], "title": accounts.certified_by[1]},
        },
        "generated": provenance.generated_json(made),
    }


def _json_cell(cell: str | Decimal | None) -> str | None:
    return _amount(cell) if isinstance(cell, Decimal) else cell


def _csv(accounts: Accounts) -> str:
    """One row per figure: statement, line key, label, column, CHF; then the notes' rows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["statement", "line", "label", "column", "chf"])
    for statement in statements(accounts):
        for row in statement.rows:
            if row.values is None:  # a heading: its lines follow
                continue
            for column, value in zip(statement.columns, row.values, strict=True):
                writer.writerow(
                    [
                        statement.key,
                        row.key,
                        escape.csv_cell(escape.one_line(row.label)),
                        column,
                        _amount(value),
                    ]
                )
    for note in notes(accounts):
        for text in note.text:
            writer.writerow(["notes", note.key, escape.csv_cell(escape.one_line(text)), "", ""])
        for cells in note.rows:
            described = " | ".join(
                escape.one_line(str(c)) for c in cells if not isinstance(c, Decimal) and c
            )
            figure = next((c for c in cells if isinstance(c, Decimal)), None)
            writer.writerow(
                [
                    "notes",
                    note.key,
                    escape.csv_cell(described),
                    "",
                    _amount(figure) if figure is not None else "",
                ]
            )
    return out.getvalue()


def _cells(values: tuple[Decimal, ...] | None, width: int, lang: str = "en") -> list[str]:
    if values is None:
        return [""] * width
    return [figure(v, lang) for v in values]


def _text(accounts: Accounts, *, markdown: bool) -> str:
    from tabulate import tabulate

    w = words(accounts.lang)

    def line(text: str) -> str:
        return escape.markdown_cell(text) if markdown else escape.one_line(text)

    out = [
        ("# " if markdown else "") + line(f"{accounts.fund}: {w['title']}"),
        "",
        line(period_line(accounts)),
        line(w["as_of"].format(date=day(accounts.end, accounts.lang))),
        "",
    ]
    for statement in statements(accounts):
        out += [("## " if markdown else "") + line(statement.title), ""]
        body = [
            [
                line(("· " * row.depth) + row.label),
                *_cells(row.values, len(statement.columns), accounts.lang),
            ]
            for row in statement.rows
        ]
        headers = [w["line"], *statement.columns]
        out.append(
            tabulate(
                body,
                headers=[line(h) for h in headers],
                tablefmt="pipe" if markdown else "simple",
                colalign=["left", *["right"] * len(statement.columns)],
                disable_numparse=True,
            )
        )
        out.append("")
    out += [("## " if markdown else "") + line(w["notes"]), ""]
    for number, note in enumerate(notes(accounts), start=1):
        out += [("### " if markdown else "") + line(f"{number}. {note.title}"), ""]
        out += [line(text) for text in note.text]
        if note.headers:
            if note.rows:
                body = [
                    [
                        figure(c, accounts.lang) if isinstance(c, Decimal) else line(c or "")
                        for c in cells
                    ]
                    for cells in note.rows
                ]
                out.append(
                    tabulate(
                        body,
                        headers=[line(h) for h in note.headers],
                        tablefmt="pipe" if markdown else "simple",
                        disable_numparse=True,
                    )
                )
            else:
                out.append(line(w["none"]))
        out.append("")
    for role in ("prepared_by", "certified_by"):
        name, title = getattr(accounts, role)
        out.append(line(f"{w[role]}: {name or '________________'}, {title or '________________'}"))
    return "\n".join(out) + "\n"


# --- HTML: a document to sign ------------------------------------------------------

CSS = """
@page { size: A4; margin: 22mm 15mm 20mm;
  @top-left { content: FUND; font-size: 8pt; color: #555; }
  @top-right { content: TITLE; font-size: 8pt; color: #555; }
  @bottom-right { content: "PAGE " counter(page) " OF " counter(pages); font-size: 8pt; }
}
body { font-family: "Noto Sans", "Noto Sans CJK SC", "Helvetica Neue", Arial, sans-serif;
       color: #1d1d1f; margin: 2em auto; max-width: 60em; line-height: 1.35; }
h1 { font-size: 1.45em; margin-bottom: 0.2em; }
h2 { font-size: 1.2em; margin-top: 1.5em; border-bottom: 1px solid #999; }
h3 { font-size: 1.02em; margin-top: 1.1em; }
h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
p.basis { border: 1px solid #999; padding: 0.5em 0.8em; }
table { border-collapse: collapse; width: 100%; margin: 0.4em 0 1em; font-size: 0.92em; }
th, td { border-bottom: 1px solid #ddd; padding: 0.22em 0.5em; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.total td { font-weight: bold; border-top: 2px solid #333; }
tr.heading td { font-weight: bold; background: #fafafa; }
td.d1 { padding-left: 1.8em; }
.signatures { display: flex; gap: 3em; margin-top: 3em; break-inside: avoid; }
.signatures div { flex: 1; }
.signatures p { border-bottom: 1px solid #333; min-height: 1.6em; margin: 1.4em 0 0.2em; }
.signatures small { color: #555; }
footer { margin-top: 2em; border-top: 1px solid #999; font-size: 0.8em; color: #555; }
@media print { body { margin: 0; max-width: none; } tr { break-inside: avoid; } }
"""


#: An Arabic document: its tables mirrored by `dir="rtl"`, amounts kept left to right.
RIGHT_TO_LEFT_CSS = """
[dir="rtl"] td.n, [dir="rtl"] th.n { text-align: left; }
[dir="rtl"] td.n { direction: ltr; unicode-bidi: isolate; }
[dir="rtl"] th, [dir="rtl"] td { text-align: right; }
"""


def html(accounts: Accounts) -> str:
    """The accounts as one self-contained HTML document, ready to print and sign."""
    w = words(accounts.lang)
    lang = TAGS.get(accounts.lang, "en")
    direction = ' dir="rtl"' if is_right_to_left(accounts.lang) else ""
    css = CSS.replace('"PAGE "', f'"{w["page"]} "').replace('" OF "', f'" {w["of"]} "')
    if accounts.lang == "zh":
        css = css.replace("counter(pages);", 'counter(pages) " 页";')
    if is_right_to_left(accounts.lang):  # tables read from the right; amounts left to right
        css += RIGHT_TO_LEFT_CSS
    css = css.replace("FUND", css_string(accounts.fund))
    css = css.replace("TITLE", css_string(f"{w['title']}, {period_line(accounts)}"))
    # Each statement on pages of its own, headed by its title (a named page each).
    for index, title in enumerate(_page_titles(accounts)):
        css += (
            f"@page s{index} {{ @top-right {{ content: {css_string(title)}; "
            "font-size: 8pt; color: #555; } }\n"
            f".s{index} {{ page: s{index}; }}\n"
        )
    e = html_escape
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}"{direction}>',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{e(accounts.fund)}: {e(w['title'])}, {e(period_line(accounts))}</title>",
        f"<style>{css}</style>",
        "</head>",
        "<body>",
        '<section class="s0">',
        f"<h1>{e(accounts.fund)}</h1>",
        f"<p><strong>{e(w['title'])}</strong> <span>{e(period_line(accounts))}</span></p>",
        f'<p class="basis">{e(w["as_of"].format(date=day(accounts.end, accounts.lang)))} '
        f"{e(w['basis_note'])}: {e(accounts.notes.basis)}.</p>",
    ]
    for index, statement in enumerate(statements(accounts)):
        if index:
            parts.append(f'<section class="s{index}">')
        parts.append(f"<h2>{e(statement.title)}</h2>")
        parts.append(f'<table class="{statement.key}">')
        heads = "".join(f'<th class="n">{e(c)}</th>' for c in statement.columns)
        parts.append(f"<thead><tr><th>{e(w['line'])}</th>{heads}</tr></thead><tbody>")
        for row in statement.rows:
            figures = "".join(
                f'<td class="n">{e(v)}</td>'
                for v in _cells(row.values, len(statement.columns), accounts.lang)
            )
            label_class = f' class="d{row.depth}"' if row.depth else ""
            parts.append(
                f'<tr class="{row.style}" data-line="{e(row.key)}">'
                f"<td{label_class}>{e(row.label)}</td>{figures}</tr>"
            )
        parts.append("</tbody></table>")
        parts.append("</section>")
    parts.append(f'<section class="s{len(statements(accounts))}">')
    parts.append(f"<h2>{e(w['notes'])}</h2>")
    parts += _html_notes(accounts)
    parts.append('<section class="signatures">')
    for role in ("prepared_by", "certified_by"):
        name, title = getattr(accounts, role)
        parts.append(
            f"<div><h3>{e(w[role])}</h3>"
            f"<p>{e(name or '')}</p><small>{e(w['name'])}</small>"
            f"<p>{e(title or '')}</p><small>{e(w['title_of'])}</small>"
            f"<p></p><small>{e(w['signature'])}</small></div>"
        )
    parts.append("</section>")
    parts.append("</section>")
    made = provenance.now()
    parts.append(f'<footer><p class="generated">{e(made.line(accounts.lang))}</p></footer>')
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def _html_notes(accounts: Accounts) -> list[str]:
    """Each note: its heading, its text, its table (or "None.")."""
    w, e = words(accounts.lang), html_escape
    parts: list[str] = []
    for number, note in enumerate(notes(accounts), start=1):
        parts.append(f"<h3>{number}. {e(note.title)}</h3>")
        parts += [f"<p>{e(text)}</p>" for text in note.text]
        if note.headers and note.rows:
            heads = "".join(
                (f'<th class="n">{e(h)}</th>' if i in note.amounts else f"<th>{e(h)}</th>")
                for i, h in enumerate(note.headers)
            )
            parts.append(f'<table class="note-{note.key}"><thead><tr>{heads}</tr></thead><tbody>')
            for cells in note.rows:
                shown = "".join(
                    f'<td class="n">{e(figure(c, accounts.lang))}</td>'
                    if isinstance(c, Decimal)
                    else f"<td>{e(c or '')}</td>"
                    for c in cells
                )
                parts.append(f"<tr>{shown}</tr>")
            parts.append("</tbody></table>")
        elif note.headers:
            parts.append(f"<p>{e(w['none'])}</p>")
    return parts


def _page_titles(accounts: Accounts) -> list[str]:
    """The running header of each statement's pages: fund, statement, period."""
    w = words(accounts.lang)
    titles = [s.title for s in statements(accounts)] + [w["notes"]]
    return [f"{title}, {period_line(accounts)}" for title in titles]


def css_string(text: str) -> str:
    """`text` as a quoted CSS string: anything but letters, digits and spaces escaped
    (`\\22 ` for a quote), so that no text can end the string or the style sheet."""
    escaped = "".join(
        char if char.isascii() and (char.isalnum() or char == " ") else f"\\{ord(char):x} "
        for char in escape.one_line(text)
    )
    return f'"{escaped}"'


# --- Excel: one sheet per statement, and the notes ----------------------------------


def xlsx(accounts: Accounts) -> bytes:
    """A workbook: one sheet per statement (totals as formulas with their values), notes."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    made = provenance.now()
    w = words(accounts.lang)
    book.set_properties(
        {
            "title": f"{accounts.fund}: {w['title']}",
            "subject": period_line(accounts),
            "author": f"{made.tool} {made.version}",
            "created": made.generated.replace(tzinfo=None),
        }
    )
    bold = book.add_format({"bold": True})
    number = book.add_format({"num_format": "#,##0"})
    total = book.add_format({"num_format": "#,##0", "bold": True, "top": 1})
    for statement in statements(accounts):
        sheet = book.add_worksheet(_sheet_name(statement.title))
        sheet.write_string(0, 0, accounts.fund, bold)
        sheet.write_string(1, 0, period_line(accounts))
        sheet.write_string(2, 0, f"{w['basis_note']}: {accounts.notes.basis}")
        sheet.write_string(4, 0, w["line"], bold)
        for j, column in enumerate(statement.columns, start=1):
            sheet.write_string(4, j, column, bold)
        _rows_with_formulas(sheet, statement, 5, number, total, bold)
        sheet.set_column(0, 0, 48)
        sheet.set_column(1, len(statement.columns), 14)
    sheet = book.add_worksheet(_sheet_name(w["notes"]))
    r = 0
    for index, note in enumerate(notes(accounts), start=1):
        sheet.write_string(r, 0, f"{index}. {note.title}", bold)
        r += 1
        for text in note.text:
            sheet.write_string(r, 0, text)
            r += 1
        if note.headers:
            for j, h in enumerate(note.headers):
                sheet.write_string(r, j, h, bold)
            r += 1
            for cells in note.rows:
                for j, c in enumerate(cells):
                    if isinstance(c, Decimal):
                        sheet.write_number(r, j, c, number)
                    else:
                        sheet.write_string(r, j, c or "")
                r += 1
        r += 1
    sheet.set_column(0, 5, 22)
    book.close()
    return out.getvalue()


def _rows_with_formulas(
    sheet: Any, statement: Statement, first: int, number: Any, total: Any, bold: Any
) -> None:
    """Lines as numbers; each heading and total as a formula over the lines it adds up,
    with its value stored beside it."""
    from xlsxwriter.utility import xl_rowcol_to_cell

    where: dict[str, int] = {}
    for i, row in enumerate(statement.rows):
        where[row.key] = first + i
    for i, row in enumerate(statement.rows):
        r = first + i
        sheet.write_string(r, 0, ("    " * row.depth) + row.label, bold if row.depth == 0 else None)
        if row.values is None:
            continue
        for j, value in enumerate(row.values, start=1):
            formula = _formula(statement, row, j, where, xl_rowcol_to_cell)
            if formula is None:
                sheet.write_number(r, j, value, number)
            else:
                sheet.write_formula(r, j, formula, total, value)


def _formula(
    statement: Statement, row: Row, column: int, where: dict[str, int], cell: Any
) -> str | None:
    keys = [r.key for r in statement.rows]

    def at(key: str) -> str:
        return str(cell(where[key], column))

    def children(key: str) -> list[str]:
        return [k for k in keys if k.startswith(key + ":")]

    def section(start: str, end: str) -> list[str]:
        inside = keys[keys.index(start) + 1 : keys.index(end)]
        rows = {r.key: r for r in statement.rows}
        return [k for k in inside if rows[k].depth == 0 and rows[k].values is not None]

    if row.key == "change":
        return f"={at('total_sources')}-{at('total_uses')}"
    if row.key == "closing":
        return f"={at('opening')}+{at('change')}"
    added: dict[str, Callable[[], list[str]]] = {
        "contributions": lambda: children("contributions"),
        "expenditure": lambda: children("expenditure"),
        "total_sources": lambda: section("sources", "total_sources"),
        "total_uses": lambda: section("uses", "total_uses"),
        "total_assets": lambda: ["cash", "receivable"],
        "total_liabilities": lambda: ["loans_payable"],
        "total_net_assets": lambda: [
            k for k in keys if k.startswith("restricted:") or k == "unrestricted"
        ],
        "liabilities_net_assets": lambda: ["total_liabilities", "total_net_assets"],
    }
    terms = [at(k) for k in added[row.key]()] if row.key in added else []
    if not terms:
        return None
    return "=" + "+".join(terms)


def _sheet_name(title: str) -> str:
    """An Excel sheet name: at most 31 characters, none of `[]:*?/\\`."""
    for bad in "[]:*?/\\":
        title = title.replace(bad, " ")
    return title[:31]

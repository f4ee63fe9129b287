"""The report as one self-contained, print-ready HTML page, with a chart.

No script, no font or image fetched from anywhere: inline CSS, and an inline
SVG chart of the money received and pledged against the budget estimate,
drawn here (a few rectangles need no plotting library). Every text is escaped.
"""

from __future__ import annotations

from decimal import Decimal

from wsis_ledger.compute.position import Position
from wsis_ledger.core import money
from wsis_ledger.core.language import TAGS, day, is_right_to_left
from wsis_ledger.render import provenance
from wsis_ledger.render.cells import Column, Row, Section, cell_text
from wsis_ledger.render.escape import html_text as escape
from wsis_ledger.render.labels import amount_label, label, money_text
from wsis_ledger.render.layout import layout

CSS = """
@page { size: A4; margin: 18mm 15mm; }
body { font-family: "Noto Sans", "Noto Sans CJK SC", "Helvetica Neue", Arial, sans-serif;
       color: #1d1d1f; margin: 2em auto; max-width: 60em; line-height: 1.4; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; }
h2 { font-size: 1.2em; margin-top: 1.6em; border-bottom: 1px solid #999; }
h3 { font-size: 1.05em; margin-top: 1.2em; }
p.fund { color: #555; margin-top: 0; }
table { border-collapse: collapse; width: 100%; margin: 0.5em 0 1em; font-size: 0.92em; }
th, td { border-bottom: 1px solid #ddd; padding: 0.25em 0.5em; text-align: start; vertical-align: top; }
th { background: #f2f2f2; }
td.n, th.n { text-align: end; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.total td { font-weight: bold; border-top: 2px solid #333; }
figure { margin: 1em 0; }
figcaption { font-size: 0.85em; color: #555; }
.note { font-size: 0.9em; color: #444; }
table.differences td { color: #b00020; }
[dir="rtl"] svg { direction: ltr; }
footer { margin-top: 2em; border-top: 1px solid #999; font-size: 0.85em; color: #555; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; }
               table { break-inside: auto; } tr { break-inside: avoid; } }
"""


def render_html(report: Position) -> str:
    """The whole page: the chart, then every section of the layout as a heading and a table."""
    lang = report.lang
    # On a right-to-left page, a text from the ledger in English (a title, a source's note)
    # takes its own direction, so that its full stop stays at its end.
    auto = ' dir="auto"' if is_right_to_left(lang) else ""
    parts = [
        "<!DOCTYPE html>",
        f"<html {page_language(lang)}>",
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{escape(report.title)}</title>",
        f"<style>{CSS}{_paged(report)}</style>",
        "</head>",
        "<body>",
        f"<h1{auto}>{escape(report.title)}</h1>",
    ]
    as_of = f" ({label('as_of', lang)} {day(report.as_of, lang)})" if report.as_of else ""
    fund = shown(report.fund, report.name_languages)
    parts.append(f'<p class="fund">{fund}{escape(as_of)}</p>')
    parts.append(chart_svg(report))
    if report.spending.lines:
        parts.append(budget_chart_svg(report))
    for section in layout(report):
        parts.append(f"<h{section.level}{auto}>{escape(section.heading)}</h{section.level}>")
        if section.columns:
            parts.append(_table(section, lang, report.name_languages))
        parts.extend(f'<p class="note"{auto}>{escape(note)}</p>' for note in section.notes)
    if len(report.history) > 1:
        parts += _history(report)
    parts.append(_footer(report))
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def _paged(report: Position) -> str:
    """Printed (or saved as PDF): the fund and the title with its date on every page,
    "page N of M", and a heading never left alone at the foot of a page."""
    from wsis_ledger.render.accounts import words
    from wsis_ledger.render.accounts_html import css_string

    w = words(report.lang)
    dated = f"{report.title}, {label('as_of', report.lang)} {report.as_of}" if report.as_of else ""
    pages = f'"{w["page"]} " counter(page) " {w["of"]} " counter(pages)'
    if report.lang == "zh":
        pages += ' " 页"'
    return (
        "@page { "
        f"@top-left {{ content: {css_string(report.fund)}; font-size: 8pt; color: #555; }} "
        f"@top-right {{ content: {css_string(dated or report.title)}; font-size: 8pt; "
        "color: #555; } "
        f"@bottom-right {{ content: {pages}; font-size: 8pt; }} }}\n"
        "h1, h2, h3 { break-after: avoid; page-break-after: avoid; }\n"
    )


def _footer(report: Position) -> str:
    """Where the figures come from, and when and by what the page was made."""
    lines = [f"<p>{escape(line)}</p>" for line in provenance.source_lines(report)]
    lines.append(f'<p class="generated">{escape(provenance.now().line(report.lang))}</p>')
    return "<footer>\n" + "\n".join(lines) + "\n</footer>"


def _history(report: Position) -> list[str]:
    """Received and pledged at each statement's date: a chart and a table."""
    lang = report.lang
    section = Section(
        "history",
        label("history", lang),
        2,
        (
            Column("statement", label("statement", lang)),
            Column("as_of", label("as_of", lang)),
            Column("received", amount_label("received", lang), numeric=True),
            Column("pledged", amount_label("pledged", lang), numeric=True),
        ),
        tuple(
            Row((h.statement, h.as_of.isoformat(), h.received, h.pledged)) for h in report.history
        ),
    )
    return [f"<h2>{escape(section.heading)}</h2>", history_svg(report), _table(section, lang)]


def history_svg(report: Position) -> str:
    """One pair of bars (received, pledged) for each statement's date."""
    lang, points = report.lang, report.history
    top = max((max(h.received, h.pledged) for h in points), default=Decimal(0)) or Decimal(1)
    width, height, base, bar = 640, 180, 150, 18
    step = (width - 20) / len(points)

    def h(amount: Decimal) -> float:
        return round(float(amount / top) * (base - 20), 1)  # pixels, not money

    title = f"{label('history', lang)}: {label('received', lang)}, {label('pledged', lang)}"
    shapes = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-label="{escape(title)}" class="history">',
        f"<title>{escape(title)}</title>",
    ]
    for i, point in enumerate(points):
        x = 10 + i * step
        for j, (name, amount, colour) in enumerate(
            (
                (label("received", lang), point.received, "#2e7d32"),
                (label("pledged", lang), point.pledged, "#9ccc65"),
            )
        ):
            shapes.append(
                f'<rect x="{round(x + j * (bar + 2), 1)}" y="{base - h(amount)}" width="{bar}" '
                f'height="{h(amount)}" fill="{colour}"><title>{escape(name)} '
                f"{point.as_of.isoformat()}: {money.group_thousands(amount)} CHF</title></rect>"
            )
        shapes.append(
            f'<text x="{round(x, 1)}" y="{base + 16}" font-size="11">'
            f"{escape(point.as_of.isoformat())}</text>"
        )
    shapes.append("</svg>")
    return (
        "<figure>\n" + "\n".join(shapes) + f"\n<figcaption>{escape(title)}</figcaption>\n</figure>"
    )


def page_language(lang: str) -> str:
    """The `<html>` element's attributes: the page's language, and right to left in Arabic
    (tables then read from the right: their first column is on the right)."""
    rtl = ' dir="rtl"' if is_right_to_left(lang) else ""
    return f'lang="{TAGS.get(lang, "en")}"{rtl}'


def shown(text: str, names: dict[str, str], *, numeric: bool = False, rtl: bool = False) -> str:
    """A cell's text escaped: a name in another language than the page's marked with its
    own `lang`; on a right-to-left page an amount kept left to right (`62 691 030 JPY`)."""
    body = escape(text)
    if text in names:
        own = ' dir="auto"' if rtl else ""
        return f'<span lang="{TAGS.get(names[text], names[text])}"{own}>{body}</span>'
    if rtl and text:  # each cell's text in its own direction (an English note stays readable)
        return f'<bdi dir="ltr">{body}</bdi>' if numeric else f"<bdi>{body}</bdi>"
    return body


def _table(section: Section, lang: str, names: dict[str, str] | None = None) -> str:
    number = ' class="n"'
    rtl, names = is_right_to_left(lang), names or {}

    def cells(values: list[str], tag: str) -> str:
        return "".join(
            f"<{tag}{number if column.numeric else ''}>"
            f"{shown(value, names, numeric=column.numeric and tag == 'td', rtl=rtl)}</{tag}>"
            for column, value in zip(section.columns, values, strict=True)
        )

    lines = [
        f'<table class="{escape(section.key)}">',
        f"<thead><tr>{cells([c.label for c in section.columns], 'th')}</tr></thead>",
        "<tbody>",
    ]
    for row in section.rows:
        values = [cell_text(cell, lang) for cell in row.cells]
        if row.depth:
            values[0] = "\u00a0\u00a0\u00a0" * row.depth + values[0]
        kind = f' class="{row.role}"' if row.role != "item" else ""
        lines.append(f"<tr{kind}>{cells(values, 'td')}</tr>")
    lines += ["</tbody>", "</table>"]
    return "\n".join(lines)


def chart_svg(report: Position) -> str:
    """Received and pledged, stacked; against the budget estimate only where entries are
    attributed to its phase, and then only the money attributed to it.

    An estimate no entry is attributed to is not drawn against the money (the
    caption says it stands alone): a bar would show a coverage nothing supports.
    """
    lang, totals, budget = report.lang, report.totals, report.budget
    received, pledged = totals.received, totals.pledged
    measured = budget is not None and budget.coverage_percent is not None and budget.gap is not None
    attributed = (
        budget.estimate - budget.gap if measured and budget and budget.gap is not None else None
    )
    scale_to = max(received + pledged, Decimal(1))
    if measured and budget is not None:
        scale_to = max(scale_to, budget.estimate)
    width, left, bar = 640, 10, 26

    def x(amount: Decimal) -> float:
        return round(float(amount / scale_to) * (width - 2 * left), 1)  # pixels, not money

    def chf(amount: Decimal) -> str:
        return money_text(amount, "CHF", lang)

    title = f"{label('received', lang)} + {label('pledged', lang)}"
    if measured and budget is not None:
        title += f" / {label('budget', lang)}: {budget.phase}"
    rows = 2 if attributed is not None else 1
    height = 50 + rows * (bar + 8) + 16 * 3
    shapes = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for name, amount, colour, start in (
        (label("received", lang), received, "#2e7d32", 0.0),
        (label("pledged", lang), pledged, "#9ccc65", x(received)),
    ):
        shapes.append(
            f'<rect class="{escape(name)}" x="{left + start}" y="20" width="{x(amount)}" '
            f'height="{bar}" fill="{colour}"><title>{escape(name)}: {chf(amount)}</title></rect>'
        )
    items = [
        (label("received", lang), received, "#2e7d32"),
        (label("pledged", lang), pledged, "#9ccc65"),
    ]
    if attributed is not None and budget is not None:
        y = 20 + bar + 8
        shapes.append(
            f'<rect class="budget" x="{left}" y="{y}" width="{x(budget.estimate)}" height="{bar}" '
            'fill="#eeeeee" stroke="#777"/>'
        )
        shapes.append(
            f'<rect class="attributed" x="{left}" y="{y + 4}" width="{x(attributed)}" '
            f'height="{bar - 8}" fill="#1565c0"><title>{escape(budget.phase)}: '
            f"{chf(attributed)}</title></rect>"
        )
        items.append((f"{label('budget', lang)}: {budget.phase}", budget.estimate, "#eeeeee"))
    legend_y = 20 + rows * (bar + 8) + 24
    for i, (name, amount, colour) in enumerate(items):
        y = legend_y + i * 16
        shapes.append(
            f'<rect x="{left}" y="{y - 10}" width="12" height="12" fill="{colour}" stroke="#777"/>'
        )
        shapes.append(
            f'<text x="{left + 18}" y="{y}" font-size="12">{escape(name)}: {chf(amount)}</text>'
        )
    shapes.append("</svg>")
    coverage = ""
    if measured and budget is not None and budget.coverage_percent is not None:
        coverage = f"{label('coverage', lang)}: {money.format_amount(budget.coverage_percent)} %"
    elif budget is not None:
        coverage = (
            f"{label('budget', lang)}: {budget.phase} {chf(budget.estimate)}; "
            f"{label('not_attributed', lang)}"
        )
    return (
        "<figure>\n" + "\n".join(shapes) + f"\n<figcaption>{escape(title)}. {escape(coverage)}"
        "</figcaption>\n</figure>"
    )


def budget_chart_svg(report: Position) -> str:
    """Each budget line: its budget (outlined), and what was spent on it with support costs."""
    lang, spent = report.lang, report.spending
    lines = spent.lines
    scale_to = max([Decimal(1), *(max(line.budget, line.used) for line in lines)])
    width, left, name_width, bar, step = 640, 10, 150, 16, 26
    span = width - left - name_width - 10

    def x(amount: Decimal) -> float:
        return round(float(amount / scale_to) * span, 1)  # pixels, not money

    title = f"{label('budget_lines', lang)}: {label('expenditure', lang)} + {label('support_costs', lang)}"
    height = 30 + step * len(lines) + 20
    shapes = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for i, line in enumerate(lines):
        y = 20 + i * step
        start = left + name_width
        over = line.used > line.budget
        text = f"{line.id}: {money.group_thousands(line.used)} / {money_text(line.budget, 'CHF', lang)}"
        shapes += [
            f'<text x="{left}" y="{y + 12}" font-size="12">{escape(line.id)}</text>',
            f'<rect class="budget" x="{start}" y="{y}" width="{x(line.budget)}" height="{bar}" '
            'fill="#eeeeee" stroke="#777"/>',
            f'<rect class="{"over" if over else "used"}" x="{start}" y="{y + 3}" '
            f'width="{x(line.used)}" height="{bar - 6}" fill="{"#c62828" if over else "#1565c0"}">'
            f"<title>{escape(text)}</title></rect>",
        ]
    shapes.append("</svg>")
    caption = "; ".join(
        f"{line.id} {money.format_amount(line.percent_used)} %"
        for line in lines
        if line.percent_used is not None
    )
    return (
        '<figure class="budget-lines">\n'
        + "\n".join(shapes)
        + f"\n<figcaption>{escape(title)}. {escape(caption)}</figcaption>\n</figure>"
    )

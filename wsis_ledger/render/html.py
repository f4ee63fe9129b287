"""The report as one self-contained, print-ready HTML page, with a chart.

No script, no font or image fetched from anywhere: inline CSS, and an inline
SVG chart of the money received and pledged against the budget estimate,
drawn here (a few rectangles need no plotting library). Every text is escaped.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape

from wsis_ledger.compute.report import Report
from wsis_ledger.core import money
from wsis_ledger.render.text import (
    cancelled_lines,
    grouped,
    label,
    original_text,
    purpose_text,
    rate_text,
    seconded_detail,
    summary_rows,
)

CSS = """
@page { size: A4; margin: 18mm 15mm; }
body { font-family: "Noto Sans", "Noto Sans CJK SC", "Helvetica Neue", Arial, sans-serif;
       color: #1d1d1f; margin: 2em auto; max-width: 60em; line-height: 1.4; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; }
h2 { font-size: 1.2em; margin-top: 1.6em; border-bottom: 1px solid #999; }
h3 { font-size: 1.05em; margin-top: 1.2em; }
p.fund { color: #555; margin-top: 0; }
table { border-collapse: collapse; width: 100%; margin: 0.5em 0 1em; font-size: 0.92em; }
th, td { border-bottom: 1px solid #ddd; padding: 0.25em 0.5em; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.total td { font-weight: bold; border-top: 2px solid #333; }
figure { margin: 1em 0; }
figcaption { font-size: 0.85em; color: #555; }
.note { font-size: 0.9em; color: #444; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; }
               table { break-inside: auto; } tr { break-inside: avoid; } }
"""


def render_html(report: Report) -> str:
    """The whole page."""
    lang, headings, totals = report.lang, report.headings, report.totals
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-Hans" if lang == "zh" else "en"}">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{escape(report.title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{escape(report.title)}</h1>",
    ]
    as_of = f" ({label('as_of', lang)} {report.as_of.isoformat()})" if report.as_of else ""
    parts.append(f'<p class="fund">{escape(report.fund + as_of)}</p>')
    parts.append(chart_svg(report))
    parts.append(f"<h2>{escape(headings['contributions'])}</h2>")
    for key, rows, total in (
        ("received", report.received, totals.received),
        ("pledged", report.pledged, totals.pledged),
    ):
        parts.append(f"<h3>{escape(headings[key])}</h3>")
        header = [
            "#",
            label("donor", lang),
            label("original", lang),
            label("rate", lang),
            label("chf", lang),
        ] + ([label("purpose", lang)] if report.purposes else [])
        body = [
            [str(n), row.donor, original_text(row), rate_text(row, lang), grouped(row.chf)]
            + ([purpose_text(row, lang)] if report.purposes else [])
            for n, row in enumerate(rows, 1)
        ]
        total_row = ["", headings[f"{key}_total"], "", "", grouped(total)]
        parts.append(
            _table(
                header,
                body,
                numeric={0, 2, 3, 4},
                total=total_row + ([""] if report.purposes else []),
            )
        )
        if key == "pledged":
            notes = [line for line in cancelled_lines(report) if line]
            parts.extend(f'<p class="note">{escape(line)}</p>' for line in notes)
    parts.append(f"<h2>{escape(headings['loans'])}</h2>")
    parts.append(
        _table(
            [
                label("lender", lang),
                label("ceiling", lang),
                label("drawn", lang),
                label("repaid", lang),
                label("outstanding", lang),
            ],
            [
                [
                    r.lender,
                    grouped(r.ceiling),
                    grouped(r.drawn),
                    grouped(r.repaid),
                    grouped(r.outstanding),
                ]
                for r in report.loans
            ],
            numeric={1, 2, 3, 4},
        )
    )
    parts.append(f"<h2>{escape(headings['seconded'])}</h2>")
    parts.append(
        _table(
            [label("seconded_by", lang), label("experts", lang), ""],
            [
                [
                    r.donor,
                    str(r.full_time + r.part_time),
                    seconded_detail(r.part_time > 0, r.paid_by, lang),
                ]
                for r in report.seconded
            ],
            numeric={1},
            total=[
                label("total", lang),
                f"{totals.experts_full_time} + {totals.experts_part_time}",
                label("part_time", lang),
            ],
        )
    )
    separator = "、" if lang == "zh" else ", "
    parts.append(f"<h2>{escape(headings['facilities'])}</h2>")
    parts.append(
        _table(
            [label("provided_by", lang), label("items", lang)],
            [[r.donor, separator.join(r.items)] for r in report.facilities],
        )
    )
    parts.append(f"<h2>{escape(headings['staff'])}</h2>")
    parts.append(
        _table(
            ["", label("full_time", lang), label("part_time_staff", lang), label("units", lang)],
            [
                [r.donor, str(r.full_time), str(r.part_time), separator.join(r.units)]
                for r in report.staff
            ],
            numeric={1, 2},
        )
    )
    if report.direct_support:
        parts.append(f"<h2>{escape(headings['direct_support'])}</h2>")
        parts.append(
            _table(
                [label("donor", lang), label("what", lang), label("chf", lang)],
                [[r.donor, r.what or "", grouped(r.chf)] for r in report.direct_support],
                numeric={2},
            )
        )
    parts.append(f"<h2>{escape(headings['summary'])}</h2>")
    parts.append(
        _table(
            ["", ""],
            [[str(a), str(b)] for a, b in summary_rows(report)],
            numeric={1},
        )
    )
    parts.extend(f'<p class="note">{escape(note)}</p>' for note in report.notes)
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def _table(
    header: list[str],
    rows: list[list[str]],
    numeric: set[int] | None = None,
    total: list[str] | None = None,
) -> str:
    numeric = numeric or set()

    def cells(values: list[str], tag: str) -> str:
        number = ' class="n"'
        return "".join(
            f"<{tag}{number if i in numeric else ''}>{escape(v)}</{tag}>"
            for i, v in enumerate(values)
        )

    lines = ["<table>", f"<thead><tr>{cells(header, 'th')}</tr></thead>", "<tbody>"]
    lines += [f"<tr>{cells(row, 'td')}</tr>" for row in rows]
    if total is not None:
        lines.append(f'<tr class="total">{cells(total, "td")}</tr>')
    lines += ["</tbody>", "</table>"]
    return "\n".join(lines)


def chart_svg(report: Report) -> str:
    """Received and pledged, stacked, against the budget estimate (or their sum)."""
    lang, totals, budget = report.lang, report.totals, report.budget
    received, pledged = totals.received, totals.pledged
    scale_to = max(budget.estimate if budget else Decimal(0), received + pledged, Decimal(1))
    width, left, bar = 640, 10, 26

    def x(amount: Decimal) -> float:
        return round(float(amount / scale_to) * (width - 2 * left), 1)  # pixels, not money

    bars = [
        (label("received", lang), received, "#2e7d32", 0),
        (label("pledged", lang), pledged, "#9ccc65", x(received)),
    ]
    title = f"{label('received', lang)} + {label('pledged', lang)}"
    if budget is not None:
        title += f" / {label('budget', lang)}: {budget.phase}"
    shapes = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="120" '
        f'viewBox="0 0 {width} 120" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    if budget is not None:
        shapes.append(
            f'<rect class="budget" x="{left}" y="20" width="{x(budget.estimate)}" height="{bar}" '
            'fill="#eeeeee" stroke="#777"/>'
        )
    for name, amount, colour, start in bars:
        shapes.append(
            f'<rect class="{escape(name)}" x="{left + start}" y="20" width="{x(amount)}" '
            f'height="{bar}" fill="{colour}"><title>{escape(name)}: {grouped(amount)} CHF</title></rect>'
        )
    legend_y = 70
    items = [
        (label("received", lang), received, "#2e7d32"),
        (label("pledged", lang), pledged, "#9ccc65"),
    ]
    if budget is not None:
        items.append((f"{label('budget', lang)}: {budget.phase}", budget.estimate, "#eeeeee"))
    for i, (name, amount, colour) in enumerate(items):
        y = legend_y + i * 16
        shapes.append(
            f'<rect x="{left}" y="{y - 10}" width="12" height="12" fill="{colour}" stroke="#777"/>'
        )
        shapes.append(
            f'<text x="{left + 18}" y="{y}" font-size="12">{escape(name)}: {grouped(amount)} CHF</text>'
        )
    shapes.append("</svg>")
    coverage = ""
    if budget is not None:
        coverage = f"{label('coverage', lang)}: {money.format_amount(budget.coverage_percent)} %"
    return (
        "<figure>\n" + "\n".join(shapes) + f"\n<figcaption>{escape(title)}. {escape(coverage)}"
        "</figcaption>\n</figure>"
    )

"""A `Position` as a terminal table or Markdown, section by section from the
one layout (`render.layout`)."""

from __future__ import annotations

from decimal import Decimal

from wsis_ledger.compute.position import Position
from wsis_ledger.core import money
from wsis_ledger.core.language import day
from wsis_ledger.render import escape, provenance
from wsis_ledger.render.cells import Section, cell_text
from wsis_ledger.render.labels import label
from wsis_ledger.render.layout import layout


def report_text(
    report: Position, markdown: bool, width: int | None = None, exact: bool = False
) -> str:
    """The report as a terminal table or Markdown, section by section from the layout."""
    out: list[str] = []
    lang = report.lang
    _heading(out, report.title, 1, markdown, width)
    as_of = f" ({label('as_of', lang)} {day(report.as_of, lang)})" if report.as_of else ""
    out.extend([*wrap(_line(report.fund + as_of, markdown), width), ""])
    for section in layout(report):
        _heading(out, section.heading, section.level, markdown, width)
        if section.columns:
            out.extend([_table(section, lang, markdown, width, exact), ""])
        for note in section.notes:
            out.extend([*wrap(_line(note, markdown), width), ""])
    out.append(provenance.now().line(report.lang))
    return "\n".join(out).rstrip("\n") + "\n"


def _heading(out: list[str], text: str, level: int, markdown: bool, width: int | None) -> None:
    if markdown:
        out.extend(["#" * level + " " + escape.markdown_cell(text), ""])
        return
    lines = wrap(escape.visible(text), width)
    out.extend(lines)
    out.extend([("=" if level == 1 else "-") * max(_width(line) for line in lines), ""])


def _table(
    section: Section, lang: str, markdown: bool, width: int | None = None, exact: bool = False
) -> str:
    body = []
    for row in section.rows:
        cells = [cell_text(cell, lang, exact=exact) for cell in row.cells]
        if row.depth and cells:
            cells[0] = ("\u00a0\u00a0" if markdown else "  ") * row.depth + cells[0]
        body.append([_line(cell, markdown) for cell in cells])
    headers = [_line(c.label, markdown) for c in section.columns]
    numeric = [c.numeric for c in section.columns]
    return fitted(body, headers, numeric, None if markdown else width, markdown=markdown)


def fitted(
    body: list[list[str]],
    headers: list[str],
    numeric: list[bool],
    width: int | None,
    *,
    markdown: bool = False,
) -> str:
    """A table (figures on the right), its text columns wrapped so that it fits
    `width` display columns where it can (None: as wide as it is)."""
    return fit(body, headers, numeric, width, markdown=markdown)[0]


def fit(
    body: list[list[str]],
    headers: list[str],
    numeric: list[bool],
    width: int | None,
    *,
    markdown: bool = False,
) -> tuple[str, bool]:
    """`fitted`'s table, and whether a text column had to be wrapped to its narrowest."""
    # Imported here: only the commands that print tables pay its import (bench/HISTORY.md).
    from tabulate import tabulate

    limits: list[int | None] = [None] * len(headers)
    heading_limits: list[int | None] = [None] * len(headers)

    def draw() -> str:
        return str(
            tabulate(
                body,
                headers=headers,
                tablefmt="pipe" if markdown else "simple",
                colalign=["right" if n else "left" for n in numeric] if headers else None,
                disable_numparse=True,
                # A purpose's level is its indent: kept, not stripped as padding.
                preserve_whitespace=True,
                maxcolwidths=limits if any(limits) else None,
                maxheadercolwidths=heading_limits if any(heading_limits) else None,  # type: ignore[arg-type]
            )
        )

    text = draw()
    if markdown or width is None or _widest_line(text) <= width:
        return text, False
    # First, a heading wider than its column's figures is wrapped to them.
    figures = _column_widths(body, [""] * len(headers))
    for i, heading in enumerate(headers):
        if " " in heading and _width(heading) > max(figures[i], MIN_WRAP):
            heading_limits[i] = max(figures[i], MIN_WRAP) // (
                2 if _width(heading) > len(heading) else 1
            )
    text = draw()
    if _widest_line(text) <= width:
        return text, False
    # Too wide for the terminal: share the room the figures leave among the text
    # columns (names, notes), the narrow ones keeping their width, the wide ones
    # an equal share; then narrow the widest again while a line is still too long.
    # A column's width: its figures', or its heading's as wrapped above where wider.
    natural = [
        max(figures[i], min(_width(h), heading_limits[i] or _width(h)))
        for i, h in enumerate(headers)
    ]
    # A limit counts characters; CJK ones take two columns.
    wide_chars = [any(_width(row[i]) > len(row[i]) for row in body) for i in range(len(headers))]
    floors = [MIN_WRAP // 2 if wide else MIN_WRAP for wide in wide_chars]
    text_columns = sorted((i for i, n in enumerate(numeric) if not n), key=natural.__getitem__)
    room = width - 2 * (len(headers) - 1)
    room -= sum(natural[i] for i in range(len(headers)) if i not in text_columns)
    for k, i in enumerate(text_columns):
        share = max(room // (len(text_columns) - k), floors[i])
        if natural[i] > share:
            limit = max(share // 2, floors[i]) if wide_chars[i] else share
            limits[i] = limit
            heading_limits[i] = min(heading_limits[i] or limit, limit)
        room -= min(natural[i], share)
    text = draw()
    for _ in range(4 * len(headers)):
        over = _widest_line(text) - width
        candidates = [i for i in text_columns if (limits[i] or natural[i]) > floors[i]]
        if over <= 0 or not candidates:
            break
        widest = max(candidates, key=lambda i: limits[i] or natural[i])
        limit = max((limits[widest] or natural[widest]) - over, floors[widest])
        limits[widest] = limit
        heading_limits[widest] = min(heading_limits[widest] or limit, limit)
        text = draw()
    return text, any(limits[i] == floors[i] for i in text_columns)


def widest_line(text: str) -> int:
    """The display width of the widest line of `text`."""
    return _widest_line(text)


def _widest_line(text: str) -> int:
    return max((_width(line) for line in text.splitlines()), default=0)


#: A text column is never wrapped narrower than this.
MIN_WRAP = 12


def _column_widths(body: list[list[str]], headers: list[str]) -> list[int]:
    return [
        max([_width(h)] + [_width(line) for row in body for line in row[i].splitlines()])
        for i, h in enumerate(headers)
    ]


def wrap(text: str, width: int | None) -> list[str]:
    """`text` in lines of at most `width` display columns (CJK counts two), broken at
    spaces where there are any; one line when `width` is None."""
    if width is None or _width(text) <= width:
        return [text]
    lines, line = [], ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if _width(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        for char in word:  # a word wider than the line (CJK text has no spaces)
            if _width(line + char) > width:
                lines.append(line)
                line = ""
            line += char
    if line:
        lines.append(line)
    return lines


def _line(text: str, markdown: bool) -> str:
    return escape.markdown_cell(text) if markdown else escape.visible(text)


def grouped(amount: Decimal) -> str:
    return money.group_thousands(amount)


def _width(text: str) -> int:
    from wcwidth import wcswidth

    return max(wcswidth(text), len(text))

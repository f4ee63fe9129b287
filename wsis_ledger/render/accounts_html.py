"""The fund's accounts as an HTML document to print and sign (`render.pdf` prints it).

CSS paged media gives it a running header (fund, statement, period), "page N
of M" in the footer, headings kept with what follows them; its first page
states the basis of preparation and the date the accounts are as of; it ends
with a signature block. It names nothing of the machine it was made on.
"""

from __future__ import annotations

from decimal import Decimal

from wsis_ledger.compute.accounts import Accounts
from wsis_ledger.core.language import TAGS, day, is_right_to_left
from wsis_ledger.core.language import number as figure
from wsis_ledger.render import escape, provenance
from wsis_ledger.render.accounts import figure_cells, notes, period_line, statements, words
from wsis_ledger.render.escape import html_text as html_escape
from wsis_ledger.render.labels import value_word

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
td.d1 { padding-inline-start: 1.8em; }  /* from where the language starts: the right in Arabic */
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
[dir="rtl"] th, [dir="rtl"] td { text-align: right; unicode-bidi: plaintext; }
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
    if is_right_to_left(accounts.lang):
        css = mirrored(css)
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
        f"<h1>{named(accounts.fund, accounts)}</h1>",
        f"<p><strong>{e(w['title'])}</strong> <span>{e(period_line(accounts))}</span></p>",
        f'<p class="basis">{e(w["as_of"].format(date=day(accounts.end, accounts.lang)))} '
        f"{e(w['basis_note'])}: {e(value_word(accounts.notes.basis, accounts.lang))}.</p>",
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
                for v in figure_cells(row.values, len(statement.columns), accounts.lang)
            )
            label_class = f' class="d{row.depth}"' if row.depth else ""
            # a donor's line is labelled with its name, in its own language
            label = (
                named(row.label, accounts) if row.key.startswith("contributions:") else e(row.label)
            )
            parts.append(
                f'<tr class="{row.style}" data-line="{e(row.key)}">'
                f"<td{label_class}>{label}</td>{figures}</tr>"
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


#: Each margin box of a page and the one across from it: a right-to-left reader's running
#: header starts at the top right (the fund's name there), and the page's number is at the
#: bottom left.
_ACROSS = {
    "@top-left": "@top-right",
    "@top-right": "@top-left",
    "@bottom-left": "@bottom-right",
    "@bottom-right": "@bottom-left",
}


def mirrored(css: str) -> str:
    """`css` with every page margin box on the other side (a right-to-left document)."""
    import re

    return re.sub(r"@(?:top|bottom)-(?:left|right)(?= *\{)", lambda m: _ACROSS[m.group()], css)


def named(text: str, accounts: Accounts) -> str:
    """A name, escaped; where the page shows it in another language than its own (a donor
    the ledger names in English only, on an Arabic page), marked with that language, and
    on a right-to-left page in its own direction."""
    own = accounts.name_languages.get(text)
    if own is None:
        return html_escape(text)
    direction = ' dir="auto"' if is_right_to_left(accounts.lang) else ""
    return f'<span lang="{TAGS.get(own, own)}"{direction}>{html_escape(text)}</span>'


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

"""Text made safe for each output it is written into: one place, one rule per format.

Free text is refused at input when it holds a control character (`Text` in
`core.models`); every writer escapes again all the same, at the last step, so
that no text, from any source (a key, a file name, a value), can start a new
line in a terminal, a log or a journal, run as an escape sequence or a GitHub
workflow command, reorder what is shown (bidirectional controls), close a
Markdown cell or become a link or an image, or run as a formula in a
spreadsheet. The characters that are never shown as themselves are
`core.visible.UNSAFE` (C0 and C1 controls, DEL, line and paragraph
separators, bidirectional controls and marks): a text shows each as
`U+XXXX` (`visible`); JSON writes it as its `\\uXXXX` escape, which reads
back as the same text (`json_safe`).
"""

from __future__ import annotations

import json
import re
from typing import Any

from wsis_ledger.core import money
from wsis_ledger.core.visible import UNSAFE, json_safe, visible, visible_lines

__all__ = ["UNSAFE", "json_safe", "visible", "visible_lines"]

#: Whatever may end a line, or hide or reorder text, in one reader or another.
_BREAKING = UNSAFE


def one_line(text: str) -> str:
    """`text` on one line: every control or line-breaking character becomes a space."""
    return _BREAKING.sub(" ", text)


def beancount_string(text: str) -> str:
    """The inside of a beancount `"string"`: one line, backslash and quote escaped."""
    return one_line(text).replace("\\", "\\\\").replace('"', '\\"')


def hledger_payee(text: str) -> str:
    """A payee as the start of an hledger description: one line, no `|` (which ends
    the payee) and no `;` (which starts a comment). A payee that starts with `(`
    (`(123) Evil`) would be read as the transaction's code: an empty code `()`
    before it keeps it the payee. (`!` and `*` are read as a status only once, and
    the header here always has its status before the payee.)"""
    payee = hledger_text(text).replace("|", "/")
    return f"() {payee}" if payee.startswith("(") else payee


def hledger_text(text: str) -> str:
    """A narration or a comment's value in an hledger journal: one line, no `;`."""
    return one_line(text).replace(";", ",")


#: Markdown's own syntax: what could make a text a link, an image, emphasis, code or a
#: new cell. Each is escaped with a backslash.
_MARKDOWN = re.compile(r"([\\`*_\[\]()!|#~])")


def markdown_cell(text: str) -> str:
    """Text for a Markdown table cell or line: one line (`visible`); Markdown's syntax
    (`\\ ` * _ [ ] ( ) ! | # ~`) escaped with a backslash and the HTML characters
    `& < >` as entities, so a name can neither split a cell, nor become a link, an
    image or emphasis, nor inject markup."""
    text = _MARKDOWN.sub(r"\\\1", visible(text))
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _no_autolink(text)


#: What GitHub's Markdown turns into a link by itself, written or not as one: a web
#: address (`www.`, `scheme://`), a `mailto:`/`xmpp:` address, an e-mail address and
#: a mention (`@`). Each is broken by writing one character as an HTML entity, which
#: shows the same but is not read as part of an address.
_WWW = re.compile(r"(?i)(www)\.")
_SCHEME_COLON = re.compile(r"(?i):(?=//)|(?<=mailto):|(?<=xmpp):")


def _no_autolink(text: str) -> str:
    """`text` (already Markdown-escaped) with every autolink broken: the `.` of
    `www.` as `&#46;`, the `:` of `://`, `mailto:` and `xmpp:` as `&#58;`, and every
    `@` as `&#64;`."""
    text = _WWW.sub(r"\1&#46;", text)
    text = _SCHEME_COLON.sub("&#58;", text)
    return text.replace("@", "&#64;")


def html_text(text: object) -> str:
    """Text for HTML (an element's content or an attribute's value): `visible`, then
    `& < > " '` as entities."""
    from html import escape

    return escape(visible(str(text)))


def json_document(document: Any, indent: int | None = 2) -> str:
    """`document` as JSON text (not ending with a newline), made safe (`json_safe`)."""
    return json_safe(json.dumps(document, ensure_ascii=False, indent=indent))


#: What starts a formula in a spreadsheet cell (tab and CR as in OWASP's list).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: A formula start at the beginning of a cell, or after anything a spreadsheet
#: may read as a separator (`,` `;` tab, or a line break) and optional spaces.
_FORMULA_PIECE = re.compile(r"(^|[,;\t\r\n])([ \u00a0]*)([=+\-@\t\r])")


def csv_cell(value: object) -> object:
    """A CSV cell that no spreadsheet runs as a formula, whatever separator it splits on.

    A spreadsheet set for `;` (Swiss and French settings) splits `Bern;=cmd()`
    into two cells, the second a formula, although a `,`-separated reader sees
    one quoted text: so a formula start is neutralized (an apostrophe before
    it) at the start of the cell and after every `,` `;` tab or line break in
    it. Numbers (`-5`, `1234.50`) and non-text values are left as they are.
    """
    if not isinstance(value, str):
        return value
    if money.PLAIN_NUMBER.fullmatch(value.lstrip("+-")):
        return value
    return _FORMULA_PIECE.sub(r"\1\2'\3", visible(value))

"""Text made safe for each output it is written into: one place, one rule per format.

Free text is refused at input when it holds a control character (`Text` in
`core.models`); every writer escapes again all the same, so that no text, from
any source, can start a new line in a journal, close a Markdown cell, or run
as a formula in a spreadsheet.
"""

from __future__ import annotations

import re

from wsis_ledger.core import money
from wsis_ledger.core.models import FORBIDDEN_IN_TEXT

#: Whatever may end a line, or hide or reorder text, in one reader or another:
#: the characters free text may not hold.
_BREAKING = FORBIDDEN_IN_TEXT


def one_line(text: str) -> str:
    """`text` on one line: every control or line-breaking character becomes a space."""
    return _BREAKING.sub(" ", text)


def beancount_string(text: str) -> str:
    """The inside of a beancount `"string"`: one line, backslash and quote escaped."""
    return one_line(text).replace("\\", "\\\\").replace('"', '\\"')


def hledger_payee(text: str) -> str:
    """A payee of an hledger description: one line, no `|` (which ends the payee)
    and no `;` (which starts a comment)."""
    return hledger_text(text).replace("|", "/")


def hledger_text(text: str) -> str:
    """A narration or a comment's value in an hledger journal: one line, no `;`."""
    return one_line(text).replace(";", ",")


def markdown_cell(text: str) -> str:
    """Text for a Markdown table cell or line: one line; `\\`, `|` and the HTML
    characters `& < >` escaped, so a name can neither split a cell nor inject markup."""
    text = one_line(text).replace("\\", "\\\\").replace("|", "\\|")
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


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
    return _FORMULA_PIECE.sub(r"\1\2'\3", value)

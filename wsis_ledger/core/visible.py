"""Text shown to a person, made harmless: the one rule for what may not reach a reader raw.

A ledger is text anyone may write (a pull request, a shared folder): a key, a
file name or a value can hold a line break (which splits a message in two, or
starts a GitHub workflow command such as `::error`), an escape sequence
(which a terminal obeys: colours, a title, the clipboard), or a bidirectional
control (which shows text in another order than it is read). Every message,
path, excerpt and cell is passed through `visible` at the last step, where it
is written (`Problem.render`, `render.escape`, the commands' messages): each
such character is shown as its code point, `U+001B`, so it is seen, not
obeyed. Ordinary text, Chinese and accented letters included, is unchanged.
"""

from __future__ import annotations

import re

#: DEL, C1 controls, the Arabic letter mark, left-to-right and right-to-left marks,
#: line and paragraph separators, and the bidirectional embeddings, overrides and
#: isolates: what is unsafe beyond the C0 controls.
#: And the surrogates: a file name's bytes that are not UTF-8 reach Python as
#: `\udc80`-`\udcff` (one a byte); no text encodes them, so written raw they are a
#: traceback, or a raw byte (0x9B is a terminal's CSI) in output that is not UTF-8.
_BEYOND_C0 = "\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
#: Every character never shown as itself: the C0 controls (line breaks and tabs too)
#: and the rest.
UNSAFE = re.compile(f"[\x00-\x1f{_BEYOND_C0}]")
#: The same, except the line break: for text of several lines made by the tool.
UNSAFE_BUT_LINES = re.compile(f"[\x00-\x09\x0b-\x1f{_BEYOND_C0}]")
#: The same, without the C0 controls (which JSON escapes itself).
UNSAFE_BEYOND_C0 = re.compile(f"[{_BEYOND_C0}]")


def _code_point(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8: shown as the byte
        return f"\\x{code - 0xDC00:02X}"
    return f"U+{code:04X}"


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xD800 <= code <= 0xDFFF:  # no valid UTF-8 holds it: its shown form, as JSON text
        return _code_point(match).replace("\\", "\\\\")
    return f"\\u{code:04x}"


def visible(text: str) -> str:
    """`text` on one line with every control, line break or bidirectional character
    shown as `U+XXXX`, and a byte of a file name that is not UTF-8 as `\\xNN`."""
    return UNSAFE.sub(_code_point, text)


def visible_lines(text: str) -> str:
    """`text` with its line breaks kept and every other such character shown as `U+XXXX`."""
    return UNSAFE_BUT_LINES.sub(_code_point, text)


def json_safe(text: str) -> str:
    """JSON text (as `json.dumps(..., ensure_ascii=False)` writes it) with every character
    of `UNSAFE` it still holds raw (DEL, C1 controls, separators, bidirectional
    controls: JSON escapes only C0) written as `\\uXXXX`: it reads back as the same
    text, and shows nothing a terminal would obey. (Such characters can only be inside
    strings, where the escape is valid.)"""
    return UNSAFE_BEYOND_C0.sub(_json_escape, text)

"""Class 2 of issue 27: no text from a ledger reaches a reader raw, in any format.

A seeded generator makes hostile strings (line breaks and `::error file=…::`
workflow commands, terminal escape sequences, one of them setting the
clipboard, C1 controls, DEL, line separators, bidirectional controls and
marks, Markdown links and images, HTML, spreadsheet formulas, `%` escapes)
and puts them where a ledger can: in YAML keys and values of a ledger file,
in a ledger file's name, in the cells and headings of every tabular writer.
Every format of `check` and of the row writers must show them escaped: no
character of `visible.UNSAFE` raw (a line break only where the tool ends a
line), GitHub annotations one to a line, Markdown with no link, image or
markup, JSON that reads back as the same text.

CI runs 300 strings per test; more: WSIS_FUZZ_EXAMPLES=5000 pytest tests/test_fuzz_escape.py
"""

from __future__ import annotations

import json
import os
import random
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from wsis_ledger.commands.main import cli
from wsis_ledger.core import money
from wsis_ledger.core.visible import UNSAFE, visible
from wsis_ledger.render import escape
from wsis_ledger.render.rows import render_rows

EXAMPLES = int(os.environ.get("WSIS_FUZZ_EXAMPLES", "300"))

PIECES = [
    "\n",
    "\r\n",
    "\r",
    "\n::error file=x.yaml,line=1::forged\n",
    "::warning::w",
    "::add-mask::secret",
    "\x1b[31m",
    "\x1b]52;c;ZWNobyBoaQ==\x07",
    "\x1b]0;title\x1b\\",
    "\x9b2J",
    "\x85",
    "\x7f",
    "\x00",
    "\t",
    "\x08",
    "\u2028",
    "\u2029",
    "\u202e",
    "\u202a",
    "\u2066",
    "\u2069",
    "\u200e",
    "\u200f",
    "\u061c",
    "[click](https://evil.example)",
    "![x](https://evil.example/a.png)",
    "<img src=x onerror=alert(1)>",
    "<script>",
    "*bold*",
    "_em_",
    "`code`",
    "\\",
    "|",
    "=cmd|' /C calc'!A0",
    "+1",
    "-2+3",
    "@SUM(A1)",
    "%0A",
    "%25",
    "Genève",
    "日本政府",
    "a",
    " ",
    ",",
    ";",
    '"',
    "'",
]


def hostile(rng: random.Random) -> str:
    return "".join(rng.choice(PIECES) for _ in range(rng.randrange(1, 6)))


def strings() -> list[str]:
    rng = random.Random(27)
    return [hostile(rng) for _ in range(EXAMPLES)]


def assert_no_raw(text: str, lines_allowed: bool = True) -> None:
    shown = text.replace("\n", "") if lines_allowed else text
    assert UNSAFE.search(shown) is None, repr(text)


def test_visible_hides_every_unsafe_character_and_only_those() -> None:
    for text in strings():
        shown = visible(text)
        assert_no_raw(shown, lines_allowed=False)
        # only the unsafe characters change: with them taken out, the text is the same
        assert re.sub(r"U\+[0-9A-F]{4}", "", shown) == UNSAFE.sub("", text) or "U+" in text
    assert visible("Genève 日本政府 a-b") == "Genève 日本政府 a-b"
    assert visible("a\nb\x1b[31m\u202e") == "aU+000AbU+001B[31mU+202E"


MARKDOWN_LINK = re.compile(r"(?<!\\)\[[^\]]*(?<!\\)\]\s*(?<!\\)\(")


def test_markdown_html_csv_json_cells() -> None:
    for text in strings():
        cell = escape.markdown_cell(text)
        assert_no_raw(cell, lines_allowed=False)
        assert MARKDOWN_LINK.search(cell) is None, cell
        for mark in "[]()!*_`|":
            # every Markdown mark is escaped with a backslash
            assert re.search(rf"(?<!\\)(\\\\)*{re.escape(mark)}", cell) is None, (mark, cell)
        assert "<" not in cell and ">" not in cell
        html = escape.html_text(text)
        assert_no_raw(html, lines_allowed=False)
        assert "<" not in html and ">" not in html and '"' not in html
        csv_text = escape.csv_cell(text)
        assert isinstance(csv_text, str)
        assert_no_raw(csv_text, lines_allowed=False)
        if money.PLAIN_NUMBER.fullmatch(text.lstrip("+-")):
            assert csv_text == text  # a number stays a number
        else:
            assert re.search(r"(^|[,;])[ \u00a0]*[=+\-@]", csv_text) is None, csv_text
        document = escape.json_document({"key": text, text: [text]})
        assert_no_raw(document)
        assert json.loads(document) == {"key": text, text: [text]}


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv", "json"])
def test_every_row_writer_escapes_cells_and_headings(fmt: str) -> None:
    texts = strings()
    for start in range(0, len(texts), 10):
        batch = texts[start : start + 10]
        rows = [{"name": text, "amount": "12.50", "note": text[::-1]} for text in batch]
        out = render_rows(rows, ["name", "amount", "note"], fmt, headings={"name": batch[0]})
        assert_no_raw(out)
        if fmt == "json":
            assert [row["name"] for row in json.loads(out)["rows"]] == batch
        if fmt in ("table", "markdown"):
            assert len(out.splitlines()) == len(rows) + 2, out


def small_ledger(folder: Path) -> None:
    folder.mkdir()
    (folder / "ledger.yaml").write_text(
        "fund:\n  id: f\n  name: F\n  currency: CHF\n  booking_unit: 1\n  phases: []\n"
    )
    (folder / "donors.yaml").write_text("donors: []\n")


@pytest.mark.parametrize("chunk", range(3))
def test_check_shows_hostile_keys_values_and_file_names_escaped(tmp_path: Path, chunk: int) -> None:
    runner = CliRunner()
    rng = random.Random(chunk)
    for number, text in enumerate(strings()[chunk::3]):
        folder = tmp_path / f"l{number}"
        small_ledger(folder)
        name = "bad" + text.replace("/", "").replace("\x00", "") + ".yaml"
        try:
            (folder / name[:200]).write_text(
                f"donors:\n  - {{id: d, {json.dumps(text)}: {json.dumps(text)}}}\n"
                f"{json.dumps(text)}: 1\n"
            )
        except OSError:  # a name the file system refuses
            (folder / "bad.yaml").write_text(f"{json.dumps(text)}: 1\n")
        fmt = rng.choice(["text", "json", "github"])
        result = runner.invoke(cli, ["check", "--format", fmt, "--data", str(folder)])
        assert result.exit_code == 1, (text, result.output)
        out = result.stdout
        assert_no_raw(out)
        if fmt == "github":
            *annotations, summary = out.splitlines()
            assert annotations and all(re.match(r"::error file=", a) for a in annotations), out
            assert re.fullmatch(r"\d+ problems? in \d+ files?\.", summary), out
        elif fmt == "json":
            json.loads(out)
        else:
            *problems, summary = out.splitlines()
            count = int(summary.split()[0])
            assert len(problems) == count, out


#: Pieces of a text that GitHub would turn into a link by itself.
AUTOLINK_PIECES = [
    "www.",
    "WWW.",
    "wWw.",
    "http://",
    "https://",
    "HTTPS://",
    "ftp://",
    "mailto:",
    "MAILTO:",
    "xmpp:",
    "@",
    "me@",
    "evil.example",
    "/x",
    ".",
    ":",
    "//",
    "&",
    "#58;",
    "\\\\",
    "\\\\.",
    " ",
    "a",
    "(",
    ")",
    "<",
    ">",
    "*",
    "_",
    "`",
    "Genève",
    "www",
    "h",
    "ttps",
]
AUTOLINK = re.compile(r"(?i)www\.|://|mailto:|xmpp:|@")


def test_markdown_breaks_every_bare_address_and_reads_back_as_the_text() -> None:
    from html import unescape

    rng = random.Random(5)
    texts = [
        "www.evil.example",
        "https://evil.example/x",
        "me@evil.example",
        "@someone",
        "see www.evil.example.",
        "mailto:me@evil.example",
        "Ftp://x.example",
    ]
    while len(texts) < 600:
        texts.append("".join(rng.choice(AUTOLINK_PIECES) for _ in range(rng.randrange(1, 9))))
    for text in texts:
        cell = escape.markdown_cell(text)
        assert AUTOLINK.search(cell) is None, (text, cell)
        # what it shows is the text itself: backslash escapes and entities undone
        assert unescape(re.sub(r"\\(.)", r"\1", cell)) == visible(text), (text, cell)

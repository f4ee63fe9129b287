"""`--lang zh`: no English word in any output of the annex, except names the source
itself prints in Latin letters (NTT DoCoMo, KDDI, WSIS, ...) and the ledger's ids.

The allowlist is drawn from the source (every run of Latin letters in
`wsis-report-2003.zh.txt`), not written by hand; the ids are the handles a
user types (`annex-2002-12-20`, `itu`), shown beside the names, and the tool
names itself in the provenance line."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import Run

from wsis_ledger.source.discovery import shipped_ledger

SOURCE = Path(__file__).resolve().parents[1] / "../../shared/source/wsis-report-2003.zh.txt"
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")


def _source_text() -> str:
    for candidate in (SOURCE, Path("/work/shared/source/wsis-report-2003.zh.txt")):
        if candidate.is_file():
            return candidate.read_text(encoding="utf-8")
    pytest.skip("the source report is not beside the project")


def _allowed(run: Run) -> set[str]:
    words = set(WORD.findall(_source_text()))
    document = json.loads(run("report", "--format", "json").stdout)
    ids = {document["fund"]["id"], *(s["statement"] for s in document["sources"])}
    for section in ("received", "pledged"):
        for entry in document[section]["entries"]:
            ids |= {entry["id"], entry["donor_id"]}
    for key in ("seconded", "facilities", "staff", "direct_support"):
        for row in document[key]["rows"]:
            ids |= {row["id"], row["donor_id"]}
    for loan in document["loans"]["facilities"]:
        ids |= {loan["id"], loan["lender_id"]}
    ids |= set(_donor_ids())
    for one in ids:
        words |= set(WORD.findall(one))
    return words | {"wsis-ledger", "wsis", "ledger"}  # the tool, naming itself


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._skip = tag == "style"
        self.parts += [value or "" for name, value in attrs if name == "aria-label"]

    def handle_endtag(self, tag: str) -> None:
        self._skip = False

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")  # when it was generated (ISO 8601)


def _english(text: str, allowed: set[str]) -> set[str]:
    return {word for word in WORD.findall(STAMP.sub("", text)) if word not in allowed}


def _donor_ids() -> list[str]:
    import yaml

    donors = yaml.safe_load((shipped_ledger() / "donors.yaml").read_text(encoding="utf-8"))
    return [d["id"] for d in donors["donors"]]


def test_the_allowlist_is_the_sources() -> None:
    words = set(WORD.findall(_source_text()))
    assert {"NTT", "DoCoMo", "KDDI", "Kommunikation", "WSIS"} <= words
    assert not {"USD", "CHF", "experts", "salaries"} & words


@pytest.mark.parametrize("fmt", ["table", "markdown", "html"])
def test_report_in_chinese_has_no_english_word(run: Run, fmt: str) -> None:
    allowed = _allowed(run)
    out = run("report", "--lang", "zh", "--format", fmt).stdout
    if fmt == "html":
        parser = _Text()
        parser.feed(out)
        out = "\n".join(parser.parts)
    assert _english(out, allowed) == set()


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_pledges_in_chinese_have_no_english_word(run: Run, fmt: str) -> None:
    out = run("pledges", "--lang", "zh", "--format", fmt).stdout
    assert _english(out, _allowed(run)) == set()


def test_report_as_of_a_date_in_chinese_has_no_english_word(run: Run) -> None:
    out = run("report", "--lang", "zh", "--as-of", "2002-06-30").stdout
    assert _english(out, _allowed(run)) == set()


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_every_donor_statement_in_chinese_has_no_english_word(run: Run, fmt: str) -> None:
    allowed = _allowed(run)
    found = {}
    for donor_id in _donor_ids():
        out = run("donor", donor_id, "--lang", "zh", "--format", fmt).stdout
        if words := _english(out, allowed):
            found[donor_id] = words
    assert found == {}


def test_the_json_texts_in_chinese_have_no_english_word(run: Run) -> None:
    """JSON keeps its keys and coded values (kinds, statuses, currencies) in English,
    a stable interface; every text it shows a reader is in Chinese."""
    allowed = _allowed(run)
    texts = ("heading", "donor", "title", "note", "what", "detail", "source", "name")
    texts += ("salaries_paid_by", "lender", "phase", "notes", "items", "units")
    found: set[str] = set()

    def walk(value: object, key: str | None) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str) and key in texts:
            found.update(_english(value, allowed))

    walk(json.loads(run("report", "--lang", "zh", "--format", "json").stdout), None)
    for donor_id in _donor_ids():
        walk(json.loads(run("donor", donor_id, "--lang", "zh", "--format", "json").stdout), None)
    assert found == set()


def test_chinese_uses_the_sources_own_words(run: Run) -> None:
    out = run("report", "--lang", "zh").stdout
    for words in ("62 691 030日元", "500美元", "170 000欧元", "1 000 000加元", "3名专家"):
        assert words in out
    assert "工资由日内瓦州负担" in out

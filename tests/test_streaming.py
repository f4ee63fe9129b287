"""Records made as the parser reads each item (`parse_document(..., items)`) are the
records, problems and places of reading the whole file first and then its items."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from records_compared import EVERY_KIND, WITH_PROBLEMS, assert_same

from wsis_ledger.source import loading
from wsis_ledger.source.filecache import FileRecords
from wsis_ledger.source.yamlsource import Document, parse_document

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from generate import generate

TEXTS = [
    EVERY_KIND,
    WITH_PROBLEMS,
    # the statement after the entries it names, invalid items between valid ones
    "received:\n  - {id: a, donor: d, chf: 1}\n  - {id: b, donor: d, chf: x}\n"
    "  - just text\n  - [a, list]\n  - {id: c, donor: d, chf: 2, name: {en: x, typo: y}}\n"
    "statement: {id: s, title: T, as_of: 2002-12-20}\n",
    # block style, nested records with problems, an empty and a wrong-typed section
    "donors:\n  - id: d\n    name:\n      en: D\n      xx: 1\n    kind: government\n"
    "  - id: e\n    name: E\n    kind: nobody\npledged:\nseconded: {id: x}\n",
    # an unknown section holding a list, a fund written as a list
    "recieved:\n  - {id: a}\nfund:\n  - {id: f}\n",
    # problems of YAML inside an item: the whole file is refused either way
    "received:\n  - {id: a, donor: d, chf: 1}\n  - {id: b, id: c}\n",
    "received:\n  - &x {id: a, donor: d, chf: 1}\n  - *x\n",
    "received: !!python/list [1]\n",
    "received:\n  - !!binary aGVsbG8=\n  - {id: a, donor: d, chf: 1}\n",
    "received:\n  - {id: a, donor: d, chf: 1}\n  - {id: b\n",
    "received: [" * 40 + "]" * 40 + "\n",
    # flow style, over several lines
    "received: [{id: a, donor: d, chf: 1},\n  {id: b, donor: d,\n   chf: 2}]\npledged: []\n",
]


def read_whole_first(path: Path, text: str) -> FileRecords:
    """The plain path: the whole file's data first, then each item read in its place."""
    document, problems = parse_document(path, text)
    records = FileRecords(problems=problems)
    if document is None:
        return records
    records.positions = document.positions
    if isinstance(document.data, dict):
        readers, _ = loading._item_readers(True)
        for key, value in document.data.items():
            read = readers.get(key)
            if read is not None and isinstance(value, list):
                whole = Document(path, None, document.positions, document.starts)
                document.data[key] = [
                    read(Document(path, raw, whole.positions, whole.starts), index)
                    for index, raw in enumerate(value)
                ]
    loading._collect_file(document, records, True)
    return records


@pytest.mark.parametrize("text", TEXTS)
def test_items_read_as_parsed_are_those_read_after(tmp_path: Path, text: str) -> None:
    path = tmp_path / "f.yaml"
    streamed = loading._parse(path, text, True)
    whole = read_whole_first(path, text)
    assert_same(whole, streamed)
    assert [p.render() for p in streamed.problems] == [p.render() for p in whole.problems]


def test_a_generated_ledger_reads_the_same_either_way(tmp_path: Path) -> None:
    generate(300, tmp_path / "ledger", per_file=300)
    paths = sorted((tmp_path / "ledger").rglob("*.yaml"))
    assert len(paths) > 1  # the ledger file and the entries' files
    for path in paths:
        text = path.read_text(encoding="utf-8")
        streamed, whole = loading._parse(path, text, True), read_whole_first(path, text)
        assert not streamed.problems
        assert_same(whole, streamed)


def test_each_item_is_read_while_the_file_is_parsed(tmp_path: Path) -> None:
    """No item waits for the whole file: the first is read before the parser reaches
    the second (so a file's plain data are never all held at once)."""
    seen: list[tuple[int, int]] = []
    text = "received:\n" + "".join(f"  - {{id: e{n}, donor: d, chf: 1}}\n" for n in range(3))

    def read(item: Document, index: int) -> None:
        seen.append((index, len(item.starts)))

    document, problems = parse_document(tmp_path / "f.yaml", text, {"received": read})
    assert not problems and document is not None
    assert seen == [(0, 1), (1, 1), (2, 1)]  # one item at a time, its own mapping alone
    assert document.data == {"received": [None, None, None]}

"""One reading of a YAML file, whichever parser writes the events (libyaml's or PyYAML's).

Nulls (`~`, `null`, nothing) are None under both; the result never depends on
how many brackets a file holds; aliases, repeated keys and tags are the same
problems at the same places.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import Run
from hypothesis import given, settings
from hypothesis import strategies as st

from wsis_ledger.source import yaml_events
from wsis_ledger.source.yamlsource import parse_document

PARSERS = {"libyaml": yaml.CBaseLoader, "pure-python": yaml.BaseLoader}


@contextmanager
def parser(name: str) -> Iterator[None]:
    saved = yaml_events.EventSource
    yaml_events.EventSource = PARSERS[name]  # type: ignore[assignment,misc]
    try:
        yield
    finally:
        yaml_events.EventSource = saved  # type: ignore[misc]


def read_with(name: str, text: str) -> tuple[Any, list[str], dict[tuple[int, int], int]]:
    """Data, problems and mapping starts (by line, column) as one parser reads them."""
    with parser(name):
        document, problems = parse_document(Path("f.yaml"), text)
    rendered = [p.render(Path("/")) for p in problems]
    if document is None:
        return None, rendered, {}
    starts: dict[tuple[int, int], int] = {}
    for start in document.starts.values():
        starts[start] = starts.get(start, 0) + 1
    return document.data, rendered, starts


def both(text: str) -> Any:
    """What both parsers read; fails when they disagree."""
    fast, strict = read_with("libyaml", text), read_with("pure-python", text)
    assert fast == strict
    return fast


NULLS = ["~", "null", "Null", "NULL", ""]


@pytest.mark.parametrize("parser_name", sorted(PARSERS))
@pytest.mark.parametrize("spelling", NULLS)
def test_a_plain_null_is_none_under_either_parser(parser_name: str, spelling: str) -> None:
    text = f"a: {spelling}\nb: [{spelling or '~'}]\nc: {{x: {spelling}}}\n"
    data, problems, _ = read_with(parser_name, text)
    assert problems == []
    assert data == {"a": None, "b": [None], "c": {"x": None}}


@pytest.mark.parametrize("parser_name", sorted(PARSERS))
def test_quoted_or_tagged_nulls_stay_text(parser_name: str) -> None:
    text = "a: 'null'\nb: \"~\"\nc: !!str null\nd: nullish\ne: !!null anything\n"
    data, problems, _ = read_with(parser_name, text)
    assert problems == []
    assert data == {"a": "null", "b": "~", "c": "null", "d": "nullish", "e": None}


ENTRY = "{id: r%d, donor: japan, chf: 10, purpose: %s, note: %s}"
FUND = "fund:\n  id: test\n  name: Test fund\n"
DONOR = "donors:\n  - {id: japan, name: Government of Japan, kind: government}\n"


def small_ledger(tmp_path: Path, entries: str) -> Path:
    root = tmp_path / "small"
    root.mkdir()
    (root / "ledger.yaml").write_text(FUND)
    (root / "donors.yaml").write_text(DONOR)
    (root / "entries.yaml").write_text(entries)
    return root


@pytest.mark.parametrize("rows", [1, 3000])
def test_null_fields_and_empty_sections_are_absent_however_many_brackets(
    run: Run, tmp_path: Path, rows: int
) -> None:
    # 3000 flow rows hold 6000 brackets: before, such a file went to another parser,
    # which read `null` as nothing where the usual one read it as the text "null".
    spellings = ["null", "~", "Null", "NULL"]
    lines = ["  - " + ENTRY % (n, spellings[n % 4], spellings[(n + 1) % 4]) for n in range(rows)]
    text = "pledged:\nrates: ~\nreceived:\n" + "\n".join(lines) + "\nseconded: null\n"
    result = run("check", "--data", small_ledger(tmp_path, text))
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"ok: 3 files, {rows} entr")


def test_brackets_in_comments_change_nothing() -> None:
    body = "received:\n" + "".join(f"  - {{id: r{n}, purpose: null}}\n" for n in range(10))
    plain = both(body)
    bracketed = both("# " + "[" * 6000 + "\n" + body)
    assert plain[0] == bracketed[0] and plain[1] == bracketed[1] == []
    assert plain[0]["received"][3] == {"id": "r3", "purpose": None}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("a: &x 1\nb: *x\n", "anchors and aliases"),
        ("a: [&x 1, {b: *x}]\n", "anchors and aliases"),
        ("a: 1\nb: {c: 2, c: 3}\na: 4\n", "is given twice"),
        ("a: !custom 1\nb: !!python/name:os.system x\n", "the tag"),
        ("? [a]\n: 1\n", "a key must be plain text"),
        ("a: " + "[" * 40 + "]" * 40 + "\n", "nested more than 32 levels deep"),
        ("a: 1\n---\nb: 2\n", "expected a single document"),
        ("# only a comment\n", "holds no data"),
    ],
)
def test_problems_are_the_same_under_either_parser(text: str, code: str) -> None:
    data, problems, _ = both(text)
    assert data is None
    assert problems and all(code in problem for problem in problems[:1]), problems


def test_a_document_reads_the_same_under_either_parser_including_places() -> None:
    text = textwrap.dedent(
        """\
        fund: {id: f, name: {en: F, zh: 基金}}
        received:
          - id: a
            amount: 12.30
            purpose: ~
            note: |
              two
              lines
          - {id: b, chf: '7', tags: [x, ~, "y"], empty: {}}
          -
        """
    )
    data, problems, starts = both(text)
    assert len(starts) == 6  # the file, fund, its name, entries a and b, and `empty`
    assert problems == []
    assert data["received"][0] == {
        "id": "a",
        "amount": "12.30",
        "purpose": None,
        "note": "two\nlines\n",
    }
    assert data["received"][2] is None
    with parser("libyaml"):
        fast, _ = parse_document(Path("f.yaml"), text)
    with parser("pure-python"):
        strict, _ = parse_document(Path("f.yaml"), text)
    assert fast is not None and strict is not None
    for loc in [("received", 1, "tags", 2), ("received", 0, "note"), ("fund", "name", "zh")]:
        assert fast.locate(loc) == strict.locate(loc)
        assert fast.locate(loc, at_key=True) == strict.locate(loc, at_key=True)


# --- the same documents through both parsers, generated --------------------------

SCALARS = [
    ("~", None),
    ("null", None),
    ("Null", None),
    ("NULL", None),
    ("'null'", "null"),
    ('"~"', "~"),
    ("abc", "abc"),
    ("12.30", "12.30"),
    ("2003-01-01", "2003-01-01"),
    ("'a, b'", "a, b"),
    ("true", "true"),
    ("!!str null", "null"),
]
scalar = st.sampled_from(SCALARS)


def flow(depth: int) -> st.SearchStrategy[tuple[str, Any]]:
    if depth == 0:
        return scalar
    inner = flow(depth - 1)
    sequence = st.lists(inner, max_size=4).map(
        lambda items: ("[" + ", ".join(t for t, _ in items) + "]", [v for _, v in items])
    )
    mapping = st.lists(inner, max_size=4).map(
        lambda items: (
            "{" + ", ".join(f"k{i}: {t}" for i, (t, _) in enumerate(items)) + "}",
            {f"k{i}": v for i, (_, v) in enumerate(items)},
        )
    )
    return st.one_of(scalar, sequence, mapping)


def block(indent: int, depth: int) -> st.SearchStrategy[tuple[str, Any]]:
    """A block mapping or sequence as text (each line indented by `indent`), and its data."""
    pad = " " * indent
    value: st.SearchStrategy[tuple[str, Any]] = flow(2).map(lambda tv: (" " + tv[0] + "\n", tv[1]))
    empty = st.just(("\n", None))
    if depth > 0:
        nested = block(indent + 2, depth - 1).map(lambda tv: ("\n" + tv[0], tv[1]))
        value = st.one_of(value, empty, nested)
    else:
        value = st.one_of(value, empty)
    mapping = st.lists(value, min_size=1, max_size=4).map(
        lambda items: (
            "".join(f"{pad}k{i}:{t}" for i, (t, _) in enumerate(items)),
            {f"k{i}": v for i, (_, v) in enumerate(items)},
        )
    )
    sequence = st.lists(value, min_size=1, max_size=4).map(
        lambda items: ("".join(f"{pad}-{t}" for t, _ in items), [v for _, v in items])
    )
    return st.one_of(mapping, sequence)


@settings(max_examples=300, deadline=None)
@given(document=block(0, 3), comment=st.booleans())
def test_generated_documents_read_as_written_under_either_parser(
    document: tuple[str, Any], comment: bool
) -> None:
    text, expected = document
    if comment:  # brackets in a comment once chose the parser
        text = "# " + "[{" * 3000 + "\n" + text
    data, problems, _ = both(text)
    assert problems == []
    assert data == expected

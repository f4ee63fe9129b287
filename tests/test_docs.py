"""The documents stay complete and linked: every field of every record kind is in
docs/format.md, under its section's heading; the README is a short front page whose
links all lead somewhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from wsis_ledger.core.models import (
    SECTIONS,
    SINGLES,
    ApprovalRule,
    Phase,
    Record,
    Stated,
)
from wsis_ledger.core.stated import StatedFigures

ROOT = Path(__file__).resolve().parent.parent
FORMAT = ROOT / "docs" / "format.md"
HEADING = re.compile(r"^#{2,3} ", re.MULTILINE)
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
#: Records nested in a section's field, documented in that section.
NESTED: dict[str, tuple[type[Record], ...]] = {
    "fund": (Phase, ApprovalRule),
    "statement": (Stated,),
}


def section_text(key: str) -> str:
    """The text of docs/format.md under the `### ...` heading that names `key`."""
    text = FORMAT.read_text(encoding="utf-8")
    for part in HEADING.split(text):
        title = part.split("\n", 1)[0]
        if f"`{key}`" in title:
            return part
    raise AssertionError(f"docs/format.md has no heading naming `{key}`")


@pytest.mark.parametrize("key", [*SINGLES, *SECTIONS])
def test_every_field_of_every_record_kind_is_in_the_format_reference(key: str) -> None:
    model = {**SINGLES, **SECTIONS}[key]
    text = section_text(key)
    fields = set(model.model_fields)
    for nested in NESTED.get(key, ()):
        fields |= set(nested.model_fields)
    missing = sorted(name for name in fields if f"`{name}`" not in text)
    assert not missing, f"docs/format.md, section `{key}`, does not name {missing}"


def test_the_format_reference_names_no_section_the_models_do_not_have() -> None:
    text = FORMAT.read_text(encoding="utf-8")
    named = set(re.findall(r"^### `(\w+)`", text, re.MULTILINE))
    named |= set(re.findall(r"^### `\w+` and `(\w+)`", text, re.MULTILINE))
    assert named == set(SECTIONS) | set(SINGLES)
    assert set(StatedFigures.model_fields) <= set(Stated.model_fields)


def test_the_readme_is_a_front_page() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 200
    assert "## Two commands" in text
    assert "pip install '.[dev]' && pytest" in text  # CI runs the README's test command
    for target in ("docs/guide.md", "docs/format.md", "docs/interfaces.md", "docs/ci.md"):
        assert f"]({target}" in text, f"the README does not link {target}"
    assert "](docs/report.png)" in text


@pytest.mark.parametrize(
    "document", [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))], ids=lambda p: p.name
)
def test_every_relative_link_leads_to_a_file(document: Path) -> None:
    text = document.read_text(encoding="utf-8")
    broken = [
        target
        for target in LINK.findall(text)
        if "://" not in target and not (document.parent / target).exists()
    ]
    assert not broken, f"{document.name} links to missing files: {broken}"

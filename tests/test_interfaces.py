"""What scripts and packagers rely on beyond the outputs: no private module of a
library is imported, and every `pip install` a message or document names exists."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

from wsis_ledger.source.reference_rates import ForexPythonProvider, ProviderUnavailable

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "wsis_ledger"


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_no_private_module_of_another_library_is_imported() -> None:
    private = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in PACKAGE.rglob("*.py")
        for name in imported_modules(path)
        if not name.startswith("wsis_ledger")
        and any(part.startswith("_") and part != "__future__" for part in name.split("."))
    }
    assert private == set()


def extras() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return set(project.get("optional-dependencies", {}))


def named_extras(text: str) -> set[str]:
    return set(re.findall(r"wsis-ledger\[([\w,-]+)\]", text))


def test_every_extra_a_message_or_document_names_is_defined() -> None:
    texts = [p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py")]
    texts += [p.read_text(encoding="utf-8") for p in [ROOT / "README.md", *ROOT.glob("docs/*.md")]]
    named = set().union(*(named_extras(text) for text in texts))
    assert {e for group in named for e in group.split(",")} <= extras()


def test_forex_python_missing_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "forex_python.converter", None)  # import fails
    with pytest.raises(ProviderUnavailable) as raised:
        ForexPythonProvider().rate("USD", __import__("datetime").date(2003, 2, 14))
    message = str(raised.value)
    assert "pip install forex-python" in message
    assert named_extras(message) <= extras()

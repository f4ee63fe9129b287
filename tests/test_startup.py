"""Start-up: what a command imports, run as a user runs it (a fresh Python process).

The start-up figures of bench/run.py come from leaving modules out of the
paths that do not need them; these tests fail when one of them comes back,
and check that the answer is the same whichever path gave it. No timing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ANNEX, edit

from wsis_ledger import answers
from wsis_ledger.source import store

#: Runs the command in a fresh interpreter, then prints (on standard error, after a
#: marker) the modules it imported beyond those `import click` itself brings.
PROBE = """
import sys
import click
before = set(sys.modules)
from wsis_ledger.commands.main import cli
try:
    cli(sys.argv[1:])
except SystemExit as end:
    code = end.code
else:
    code = 0
sys.stdout.flush()
print("\\nimported:", " ".join(sorted(set(sys.modules) - before)), file=sys.stderr)
sys.exit(code)
"""

#: Nothing a cache hit needs: the models and what reads YAML, the library above them,
#: and the standard modules whose import showed in its start (bench/HISTORY.md).
NOT_ON_A_HIT = (
    "yaml",
    "pydantic",
    "decimal",
    "json",
    "dataclasses",
    "wsis_ledger.api",
    "wsis_ledger.compute",
    "wsis_ledger.core.models",
    "wsis_ledger.core.problems",
    "wsis_ledger.source.loading",
)
#: Nothing `check` needs even when it reads the ledger: the position and the writes.
NOT_IN_A_CHECK = ("wsis_ledger.compute.position", "wsis_ledger.render", "wsis_ledger.write")


def run(args: list[str], cache_home: Path, cwd: Path) -> tuple[int, str, str, set[str]]:
    """Exit code, standard output, standard error and the modules imported."""
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    env.pop("WSIS_LEDGER_DATA", None)
    env.pop("WSIS_LEDGER_NO_CACHE", None)
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, env=env, cwd=cwd
    )
    stderr, _, imported = done.stderr.rpartition("\nimported:")
    assert imported, done.stderr  # the probe reached its end: no traceback
    return done.returncode, done.stdout, stderr, set(imported.split())


def loaded(imported: set[str], names: tuple[str, ...]) -> list[str]:
    """Which of `names` (or a module below one of them) were imported."""
    return sorted(m for m in imported if any(m == n or m.startswith(n + ".") for n in names))


@pytest.mark.parametrize("fmt", ["table", "json", "github"])
def test_a_cache_hit_imports_nothing_heavy_and_answers_as_a_fresh_run(
    tmp_path: Path, ledger_dir: Path, fmt: str
) -> None:
    args = ["check", "--format", fmt, "--data", str(ledger_dir)]
    cold = run(args, tmp_path / "cache", tmp_path)
    hit = run(args, tmp_path / "cache", tmp_path)
    fresh = run([*args, "--no-cache"], tmp_path / "other", tmp_path)
    assert cold[:3] == hit[:3] == fresh[:3]
    assert cold[0] == 0 and cold[1]
    assert loaded(hit[3], NOT_ON_A_HIT) == []
    # The cold run did read the ledger: the probe sees what a load imports.
    assert loaded(cold[3], ("yaml", "pydantic", "wsis_ledger.core.models")) != []
    assert loaded(cold[3], NOT_IN_A_CHECK) == []


def test_a_ledger_with_problems_answers_the_same_from_the_cache(
    tmp_path: Path, ledger_dir: Path
) -> None:
    edit(ledger_dir / ANNEX, r"^    chf: 317660$", "    chf: 317661")
    args = ["check", "--data", str(ledger_dir)]
    cold = run(args, tmp_path / "cache", tmp_path)
    hit = run(args, tmp_path / "cache", tmp_path)
    fresh = run([*args, "--no-cache"], tmp_path / "other", tmp_path)
    assert cold[0] == 3 and "add up to 2 243 420 CHF" in cold[1]
    assert cold[:3] == hit[:3] == fresh[:3]
    assert loaded(hit[3], NOT_ON_A_HIT) == []


def test_the_shipped_annex_from_the_project_folder(tmp_path: Path) -> None:
    """As bench/run.py measures start-up: `check` with no --data, in the project folder."""
    project = Path(__file__).resolve().parent.parent
    cold = run(["check"], tmp_path / "cache", project)
    hit = run(["check"], tmp_path / "cache", project)
    assert cold[:3] == hit[:3] and cold[1].startswith("ok: ")
    assert loaded(hit[3], NOT_ON_A_HIT) == []


def test_the_key_notes_every_module_of_the_tool(tmp_path: Path) -> None:
    """The listing behind `code_fingerprint` finds what a recursive glob finds."""
    package = Path(store.__file__).resolve().parent.parent
    expected = sorted(str(p) for p in package.rglob("*.py") if "__pycache__" not in p.parts)
    assert sorted(store._modules(str(package))) == expected
    copy = tmp_path / "package"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "source" / "new_module.py").write_text("", encoding="utf-8")
    assert str(copy / "source" / "new_module.py") in store._modules(str(copy))


def test_an_output_entry_round_trips(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "store"))
    answer = answers.Cached("ok: é ✓\n", "warning\n", 1)
    answers.put("a" * 64, answer)
    assert answers.get("a" * 64) == answer
    assert answers.get("b" * 64) is None


def test_pydantic_plugins_are_left_as_the_user_set_them(tmp_path: Path, ledger_dir: Path) -> None:
    code = (
        "import os, sys\n"
        "from wsis_ledger.commands.main import cli\n"
        "try:\n"
        "    cli(sys.argv[1:])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(os.environ.get('PYDANTIC_DISABLE_PLUGINS'), file=sys.stderr)\n"
    )
    args = ["check", "--no-cache", "--data", str(ledger_dir)]
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    unset = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env
    )
    env["PYDANTIC_DISABLE_PLUGINS"] = "some_plugin"
    own = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env
    )
    assert unset.stderr.strip() == "__all__"
    assert own.stderr.strip() == "some_plugin"
    assert unset.stdout == own.stdout and unset.stdout.startswith("ok: ")


def test_a_report_from_the_cache_imports_nothing_heavy(tmp_path: Path, ledger_dir: Path) -> None:
    args = ["report", "--data", str(ledger_dir)]
    cold = run(args, tmp_path / "cache", tmp_path)
    hit = run(args, tmp_path / "cache", tmp_path)
    fresh = run([*args, "--no-cache"], tmp_path / "other", tmp_path)
    assert cold[:3] == hit[:3] == fresh[:3] and cold[0] == 0
    assert loaded(hit[3], NOT_ON_A_HIT) == []

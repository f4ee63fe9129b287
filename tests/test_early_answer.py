"""A repeated `check` or `report` answered before click is imported (`commands.early`).

Each run here is a fresh Python process started as the console script starts
(`wsis_ledger.__main__.main` with the process's command line), so that what a
run imported tells which path answered: the early one imports no click. The
early answer must be the click path's byte for byte (standard output, standard
error, exit code) and `--no-cache`'s; and everything its key covers must, when
it changes, send the run through click. No timing.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import NamedTuple

import click
import pytest
from conftest import ANNEX, edit

from wsis_ledger.commands import early
from wsis_ledger.commands.main import COMMANDS, cli
from wsis_ledger.source import cache

PACKAGE = Path(early.__file__).resolve().parent.parent

#: Started as the console script starts; tells (in a file, so that standard error stays
#: the command's own) which modules the run imported.
PROBE = """
import os, sys
sys.argv[0] = "wsis-ledger"
from wsis_ledger.__main__ import main
code = 0
try:
    main()
except SystemExit as end:
    code = end.code if isinstance(end.code, int) else int(end.code is not None)
try:
    sys.stdout.flush()
except OSError:
    pass
with open(os.environ["PROBE_MODULES"], "w", encoding="utf-8") as modules:
    modules.write(" ".join(sorted(sys.modules)))
sys.exit(code)
"""

#: What an early answer never imports.
HEAVY = ("click", "pydantic", "yaml", "wsis_ledger.commands.main", "wsis_ledger.core.models")


class Ran(NamedTuple):
    code: int
    stdout: bytes
    stderr: bytes
    modules: frozenset[str]

    @property
    def answer(self) -> tuple[int, bytes, bytes]:
        return self.code, self.stdout, self.stderr

    @property
    def early(self) -> bool:
        """Answered before click was imported."""
        return "click" not in self.modules


def probe(
    args: list[str | Path],
    *,
    cwd: Path,
    cache_home: Path,
    env: dict[str, str] | None = None,
    stdout: int | None = None,
    pythonpath: Path | None = None,
) -> Ran:
    """Run `wsis-ledger ARGS` in a fresh process (standard output captured unless given)."""
    variables = {k: v for k, v in os.environ.items() if k not in early.ENVIRONMENT}
    variables.update(XDG_CACHE_HOME=str(cache_home), SOURCE_DATE_EPOCH="1700000000")
    variables["PROBE_MODULES"] = str(cache_home.parent / f"modules-{cache_home.name}.txt")
    if pythonpath is not None:
        variables["PYTHONPATH"] = str(pythonpath)
    variables.update(env or {})
    Path(variables["PROBE_MODULES"]).unlink(missing_ok=True)
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *map(str, args)],
        cwd=cwd,
        env=variables,
        stdout=subprocess.PIPE if stdout is None else stdout,
        stderr=subprocess.PIPE,
    )
    modules = Path(variables["PROBE_MODULES"]).read_text(encoding="utf-8").split()
    assert "wsis_ledger.__main__" in modules, done.stderr
    return Ran(done.returncode, done.stdout or b"", done.stderr, frozenset(modules))


def imported(ran: Ran, names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in ran.modules if any(m == n or m.startswith(n + ".") for n in names))


# --- the same bytes, whichever path answers ------------------------------------------

LINES = [
    ["check"],
    ["check", "--format", "json"],
    ["check", "--format", "github"],
    ["check", "--format", "text", "--strict"],
    ["report"],
    ["report", "--format", "json"],
    ["report", "--format", "csv", "--lang", "zh"],
    ["report", "--format", "markdown", "--as-of", "2002-12-31"],
    ["report", "--format", "html"],
    ["report", "--wide", "--lang", "zh"],
]


@pytest.mark.parametrize("line", LINES, ids=" ".join)
def test_an_early_answer_is_the_click_answer_and_a_fresh_one(
    tmp_path: Path, ledger_dir: Path, line: list[str]
) -> None:
    args = [*line, "--data", ledger_dir]
    cold = probe(args, cwd=tmp_path, cache_home=tmp_path / "c")
    hit = probe(args, cwd=tmp_path, cache_home=tmp_path / "c")
    shutil.rmtree(tmp_path / "c" / "wsis-ledger" / early.NOTES)  # the output cache alone
    through_click = probe(args, cwd=tmp_path, cache_home=tmp_path / "c")
    fresh = probe([*args, "--no-cache"], cwd=tmp_path, cache_home=tmp_path / "other")
    assert not cold.early and hit.early and not through_click.early
    assert cold.answer == hit.answer == through_click.answer == fresh.answer
    # --strict fails on the annex's warnings (rates far from the ECB's reference).
    assert cold.code == (1 if "--strict" in line else 0) and cold.stdout
    assert imported(hit, HEAVY) == []


def test_problems_and_their_exit_code_come_back_the_same(tmp_path: Path, ledger_dir: Path) -> None:
    edit(ledger_dir / ANNEX, r"^    chf: 317660$", "    chf: 317661")  # a stated total off
    for line in (["check"], ["report"], ["report", "--format", "json"]):
        args = [*line, "--data", ledger_dir]
        cold = probe(args, cwd=tmp_path, cache_home=tmp_path / "c")
        hit = probe(args, cwd=tmp_path, cache_home=tmp_path / "c")
        fresh = probe([*args, "--no-cache"], cwd=tmp_path, cache_home=tmp_path / "other")
        assert hit.early and cold.answer == hit.answer == fresh.answer
        assert cold.code == 1
    # report prints the difference on standard error too: the early answer does as well
    assert b"add up to" in hit.stderr


@pytest.mark.parametrize("found_by", ["./data", "WSIS_LEDGER_DATA", "shipped"])
def test_the_ledger_found_without_data_answers_early_too(
    tmp_path: Path, ledger_dir: Path, found_by: str
) -> None:
    env = {}
    if found_by == "./data":
        ledger_dir.rename(tmp_path / "data")
    elif found_by == "WSIS_LEDGER_DATA":
        env["WSIS_LEDGER_DATA"] = str(ledger_dir)
    runs = [probe(["check"], cwd=tmp_path, cache_home=tmp_path / "c", env=env) for _ in range(2)]
    fresh = probe(["check", "--no-cache"], cwd=tmp_path, cache_home=tmp_path / "o", env=env)
    assert runs[1].early and runs[0].answer == runs[1].answer == fresh.answer
    assert fresh.stdout.startswith(b"ok: 3 files")


# --- every input of the key, changed, sends the run through click --------------------


def _answered_early_once(args: list[str | Path], tmp_path: Path) -> None:
    probe(args, cwd=tmp_path, cache_home=tmp_path / "c")
    assert probe(args, cwd=tmp_path, cache_home=tmp_path / "c").early


@pytest.mark.parametrize("name", early.ENVIRONMENT)
def test_each_environment_variable_of_the_key(tmp_path: Path, ledger_dir: Path, name: str) -> None:
    args: list[str | Path] = ["report", "--data", ledger_dir]
    _answered_early_once(args, tmp_path)
    value = {"WSIS_LEDGER_DATA": str(ledger_dir), "SOURCE_DATE_EPOCH": "86400"}.get(name, "1")
    changed = probe(args, cwd=tmp_path, cache_home=tmp_path / "c", env={name: value})
    fresh = probe([*args, "--no-cache"], cwd=tmp_path, cache_home=tmp_path / "o", env={name: value})
    assert not changed.early
    if name == "SOURCE_DATE_EPOCH":
        # A report answered from the output cache keeps the time it was computed
        # (render.provenance; tests/test_statements.py): through click, as before.
        assert changed.answer[1:] != fresh.answer[1:] and b"1970-01-02" in fresh.stdout
    else:
        assert changed.answer == fresh.answer
    # an unset variable and an empty one are not the same either
    empty = probe(args, cwd=tmp_path, cache_home=tmp_path / "c", env={name: ""})
    assert not empty.early


def test_the_working_folder(tmp_path: Path, ledger_dir: Path) -> None:
    args: list[str | Path] = ["check", "--data", ledger_dir]
    _answered_early_once(args, tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    moved = probe(args, cwd=elsewhere, cache_home=tmp_path / "c")
    assert not moved.early and moved.code == 0


def test_the_command_line_itself(tmp_path: Path, ledger_dir: Path) -> None:
    _answered_early_once(["check", "--data", ledger_dir], tmp_path)
    other = probe(
        ["check", "--data", ledger_dir, "--strict"], cwd=tmp_path, cache_home=tmp_path / "c"
    )
    assert not other.early


@pytest.mark.parametrize("file", ["ledger.yaml", "donors.yaml", ANNEX])
def test_each_ledger_files_bytes(tmp_path: Path, ledger_dir: Path, file: str) -> None:
    args: list[str | Path] = ["check", "--data", ledger_dir]
    _answered_early_once(args, tmp_path)
    with open(ledger_dir / file, "a", encoding="utf-8") as handle:
        handle.write("# one more line\n")
    changed = probe(args, cwd=tmp_path, cache_home=tmp_path / "c")
    assert not changed.early
    assert probe(args, cwd=tmp_path, cache_home=tmp_path / "c").early  # noted again


def test_a_changed_amount_is_answered_anew(tmp_path: Path, ledger_dir: Path) -> None:
    args: list[str | Path] = ["check", "--data", ledger_dir]
    _answered_early_once(args, tmp_path)
    edit(ledger_dir / ANNEX, r"^    chf: 317660$", "    chf: 317661")
    changed = probe(args, cwd=tmp_path, cache_home=tmp_path / "c")
    fresh = probe([*args, "--no-cache"], cwd=tmp_path, cache_home=tmp_path / "o")
    assert not changed.early and changed.answer == fresh.answer and changed.code == 1
    # and back: the answer for the first bytes is still filed, and still right
    edit(ledger_dir / ANNEX, r"^    chf: 317661$", "    chf: 317660")
    back = probe(args, cwd=tmp_path, cache_home=tmp_path / "c")
    assert back.early and back.code == 0


@pytest.mark.parametrize(
    "change", ["added", "removed", "renamed", "hidden added", "link to nowhere"]
)
def test_the_folder_listing(tmp_path: Path, ledger_dir: Path, change: str) -> None:
    args: list[str | Path] = ["check", "--data", ledger_dir]
    _answered_early_once(args, tmp_path)
    if change == "added":
        (ledger_dir / "more").mkdir()
        (ledger_dir / "more" / "x.yml").write_text("donors: []\n", encoding="utf-8")
    elif change == "removed":
        (ledger_dir / "donors.yaml").unlink()
    elif change == "renamed":
        (ledger_dir / ANNEX).rename(ledger_dir / "annex.YAML")
    elif change == "hidden added":  # not read by the ledger: the same answer, early
        (ledger_dir / ".draft.yaml").write_text("donors: [\n", encoding="utf-8")
    else:
        (ledger_dir / "gone").symlink_to(tmp_path / "nowhere")
    changed = probe(args, cwd=tmp_path, cache_home=tmp_path / "c")
    fresh = probe([*args, "--no-cache"], cwd=tmp_path, cache_home=tmp_path / "o")
    assert changed.answer == fresh.answer
    assert changed.early == (change == "hidden added")
    if change == "link to nowhere":  # the listing's problem is said, every time
        again = probe(args, cwd=tmp_path, cache_home=tmp_path / "c")
        assert again.answer == fresh.answer and fresh.code == 1 and b"leads nowhere" in fresh.stdout


def test_a_ledger_that_comes_to_be_in_the_working_folder(tmp_path: Path, ledger_dir: Path) -> None:
    """Without --data, ./data holding a ledger decides the folder: it is probed each time."""
    _answered_early_once(["check"], tmp_path)  # the shipped ledger
    shutil.copytree(ledger_dir, tmp_path / "data")
    edit(tmp_path / "data" / ANNEX, r"^    chf: 317660$", "    chf: 317661")
    now = probe(["check"], cwd=tmp_path, cache_home=tmp_path / "c")
    fresh = probe(["check", "--no-cache"], cwd=tmp_path, cache_home=tmp_path / "o")
    assert not now.early and now.answer == fresh.answer and now.code == 1


def test_the_tools_code(tmp_path: Path, ledger_dir: Path) -> None:
    """A copy of the package run in place of this one: a module edited means a miss."""
    copy = tmp_path / "code"
    shutil.copytree(PACKAGE, copy / "wsis_ledger", ignore=shutil.ignore_patterns("__pycache__"))
    args: list[str | Path] = ["check", "--data", ledger_dir]
    runs = [probe(args, cwd=tmp_path, cache_home=tmp_path / "c", pythonpath=copy) for _ in range(2)]
    assert runs[1].early and runs[0].answer == runs[1].answer
    module = copy / "wsis_ledger" / "compute" / "checks.py"
    module.write_text(module.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    edited = probe(args, cwd=tmp_path, cache_home=tmp_path / "c", pythonpath=copy)
    assert not edited.early and edited.answer == runs[0].answer


def test_the_key_notes_code_python_and_the_line(monkeypatch: pytest.MonkeyPatch) -> None:
    argv = ["wsis-ledger", "check"]
    first = early.command_line_key(argv)
    assert early.command_line_key(argv) == first
    assert early.command_line_key([*argv, "--strict"]) != first
    assert early.command_line_key(["other-name", "check"]) != first
    monkeypatch.setattr(cache, "code_fingerprint", lambda: "another version")
    assert early.command_line_key(argv) != first
    monkeypatch.undo()
    monkeypatch.setattr(sys, "executable", "/another/python")
    assert early.command_line_key(argv) != first


# --- how the answer is printed ---------------------------------------------------------


def test_a_terminal_is_keyed_and_answered_as_click_answers_it(
    tmp_path: Path, ledger_dir: Path
) -> None:
    pty = pytest.importorskip("pty")
    args: list[str | Path] = ["check", "--data", ledger_dir]
    _answered_early_once(args, tmp_path)

    def on_a_terminal() -> tuple[Ran, bytes]:
        leader, follower = pty.openpty()
        try:
            ran = probe(args, cwd=tmp_path, cache_home=tmp_path / "c", stdout=follower)
            os.close(follower)
            follower = -1
            shown = b""
            while True:
                try:
                    chunk = os.read(leader, 65536)
                except OSError:  # the terminal's other end closed: all read
                    break
                if not chunk:
                    break
                shown += chunk
            return ran, shown
        finally:
            os.close(leader)
            if follower >= 0:
                os.close(follower)

    first, first_shown = on_a_terminal()
    second, second_shown = on_a_terminal()
    assert not first.early and second.early  # a terminal is another key, then noted
    assert first.answer == second.answer and first_shown == second_shown
    assert first_shown.startswith(b"ok: ")


@pytest.mark.parametrize(
    ("line", "encoding"),
    # (a report in Latin-1 is not printable at all: its daggers are not in Latin-1)
    [(["check"], "latin-1"), (["report", "--lang", "zh"], "utf-8:backslashreplace")],
)
def test_another_encoding_of_the_output(
    tmp_path: Path, ledger_dir: Path, line: list[str], encoding: str
) -> None:
    args: list[str | Path] = [*line, "--data", ledger_dir]
    _answered_early_once(args, tmp_path)
    env = {"PYTHONIOENCODING": encoding}
    other = probe(args, cwd=tmp_path, cache_home=tmp_path / "c", env=env)
    fresh = probe([*args, "--no-cache"], cwd=tmp_path, cache_home=tmp_path / "o", env=env)
    assert not other.early and other.answer == fresh.answer


def test_a_full_disk_ends_as_the_click_path_ends(tmp_path: Path, ledger_dir: Path) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    args: list[str | Path] = ["check", "--data", ledger_dir]
    with open("/dev/full", "wb") as full:
        runs = [
            probe(args, cwd=tmp_path, cache_home=tmp_path / "c", stdout=full.fileno())
            for _ in range(3)
        ]
    # the first run noted its line before it failed to print: the next ones answer early
    assert [r.early for r in runs] == [False, True, True]
    assert runs[0].answer == runs[1].answer == runs[2].answer
    assert runs[2].code == 1 and runs[2].stderr.startswith(
        b"Error: cannot write to standard output"
    )


@pytest.mark.parametrize(
    "extra", [["--help"], ["-o", "out.txt"], ["--output=-"], ["--no-cache"], ["--format", "nope"]]
)
def test_what_is_never_answered_early(tmp_path: Path, ledger_dir: Path, extra: list[str]) -> None:
    args: list[str | Path] = ["check", "--data", ledger_dir, *extra]
    runs = [probe(args, cwd=tmp_path, cache_home=tmp_path / "c") for _ in range(3)]
    assert not any(r.early for r in runs)
    assert runs[0].answer == runs[2].answer
    if extra[0] == "-o":  # written each time, never skipped
        assert (tmp_path / "out.txt").read_text(encoding="utf-8").startswith("ok: ")
        assert runs[2].stderr == b"wrote out.txt\n"


def test_a_damaged_note_or_answer_is_passed_over(tmp_path: Path, ledger_dir: Path) -> None:
    args: list[str | Path] = ["report", "--data", ledger_dir]
    _answered_early_once(args, tmp_path)
    folder = tmp_path / "c" / "wsis-ledger"
    (note,) = (folder / early.NOTES).iterdir()
    content = note.read_bytes()
    note.write_bytes(content[:-1] + bytes([content[-1] ^ 0xFF]))  # the seal no longer fits
    damaged = probe(args, cwd=tmp_path, cache_home=tmp_path / "c")
    assert not damaged.early
    assert probe(args, cwd=tmp_path, cache_home=tmp_path / "c").early  # noted again
    for entry in folder.glob("*" + cache.OUTPUT_SUFFIX):
        content = entry.read_bytes()
        entry.write_bytes(content[:40] + bytes([content[40] ^ 0xFF]) + content[41:])
    again = probe(args, cwd=tmp_path, cache_home=tmp_path / "c")
    fresh = probe([*args, "--no-cache"], cwd=tmp_path, cache_home=tmp_path / "o")
    assert not again.early and again.answer == fresh.answer


def test_a_note_renamed_to_another_key_is_never_used(
    tmp_path: Path, ledger_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The seal binds a note to its key: renamed to another command line's key, it is
    passed over (and the note itself names its key besides)."""
    _answered_early_once(["check", "--data", ledger_dir], tmp_path)
    notes = tmp_path / "c" / "wsis-ledger" / early.NOTES
    (note,) = notes.iterdir()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "c"))
    assert cache.read_entry(note.name, early.NOTES) is not None
    other = "0" * 64
    note.rename(notes / other)
    assert cache.read_entry(other, early.NOTES) is None


# --- the key is complete: what the package reads, and which commands are cached ------


def _environment_reads() -> set[str]:
    """Every environment variable the package's code reads, by name."""
    pattern = re.compile(
        r"(?:environ\.get|environ\.setdefault|getenv)\(\s*([\w.\"']+)|environ\[([\w.\"']+)\]"
    )
    names = set()
    # a variable: the names it runs over, a tuple of the module's
    loops = {"wsis_ledger.commands.early": "ENVIRONMENT"}
    for path in PACKAGE.rglob("*.py"):
        module = _module_of(path)
        for match in pattern.finditer(path.read_text(encoding="utf-8")):
            spelled = match.group(1) or match.group(2)
            if spelled[0] in "\"'":
                names.add(spelled.strip("\"'"))
            elif spelled.islower():
                names.update(getattr(module, loops[module.__name__]))
            else:  # a constant of the module, or of a module it names
                owner, _, attribute = spelled.rpartition(".")
                source = getattr(module, owner) if owner else module
                names.add(getattr(source, attribute))
    return names


def _module_of(path: Path) -> ModuleType:
    import importlib

    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return importlib.import_module(".".join(p for p in parts if p != "__init__"))


def test_every_environment_variable_the_package_reads_is_in_the_key() -> None:
    where_the_cache_is = {"XDG_CACHE_HOME", "HOME"}  # where the answer is kept, not what it says
    read = _environment_reads()
    assert {"WSIS_LEDGER_DATA", "SOURCE_DATE_EPOCH", "PYDANTIC_DISABLE_PLUGINS"} <= read
    assert read - where_the_cache_is <= set(early.ENVIRONMENT)


def test_no_option_of_a_cached_command_comes_from_the_environment() -> None:
    assert "auto_envvar_prefix" not in (cli.context_settings or {})
    context = click.Context(cli)
    for name in early.CACHED_COMMANDS:
        command = cli.get_command(context, name)
        assert command is not None
        assert [p.name for p in command.params if getattr(p, "envvar", None)] == []


def test_the_cached_commands_are_those_that_use_the_output_cache() -> None:
    using = set()
    for name, target in COMMANDS.items():
        module = PACKAGE / "commands" / (target.split(":")[0] + ".py")
        if "through_cache(" in module.read_text(encoding="utf-8"):
            using.add(name)
    assert using == set(early.CACHED_COMMANDS)


#: Looks a command line up as the console script does, and says what it found.
LOOK_UP = """
import sys
from pathlib import Path
from wsis_ledger.commands import early
from wsis_ledger.source import cache
ready, invocation = early.look_up(["wsis-ledger", *sys.argv[1:]])
root, options, key = invocation.looked_up
print(ready is None, key == cache.key(Path(root), *options), " ".join(options))
"""


def test_a_miss_after_a_note_hands_its_key_to_the_click_path(
    tmp_path: Path, ledger_dir: Path
) -> None:
    """A noted line whose answer is not filed (a file changed) hands the output cache's
    key it worked out to the click path, which need not hash the files again: that key
    is the files' key as they are now, and the answer is still `--no-cache`'s."""
    args: list[str | Path] = ["check", "--data", ledger_dir]
    _answered_early_once(args, tmp_path)
    edit(ledger_dir / ANNEX, r"^    chf: 317660$", "    chf: 317661")
    variables = {k: v for k, v in os.environ.items() if k not in early.ENVIRONMENT}
    variables.update(XDG_CACHE_HOME=str(tmp_path / "c"), SOURCE_DATE_EPOCH="1700000000")
    found = subprocess.run(
        [sys.executable, "-c", LOOK_UP, *map(str, args)],
        cwd=tmp_path,
        env=variables,
        capture_output=True,
        text=True,
        check=True,
    )
    assert found.stdout.split()[:3] == ["True", "True", "check"]
    after = probe(args, cwd=tmp_path, cache_home=tmp_path / "c")
    fresh = probe([*args, "--no-cache"], cwd=tmp_path, cache_home=tmp_path / "o")
    assert not after.early and after.answer == fresh.answer and after.code == 1

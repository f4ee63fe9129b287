"""Checks that CI understands (issue 14): GitHub annotations, a pre-commit hook, the
workflow in docs/ci.md, and writes where there is no fcntl (Windows)."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ANNEX, Run, edit

from wsis_ledger.commands.check import github_annotation, severity
from wsis_ledger.core.problems import Problem, Where
from wsis_ledger.source.discovery import shipped_ledger

# --- writes without fcntl -------------------------------------------------------

#: Python that runs wsis-ledger with `import fcntl` failing, as it does on Windows.
WITHOUT_FCNTL = (
    "import sys\n"
    "sys.modules['fcntl'] = None  # import fcntl now raises ImportError\n"
    "from wsis_ledger.commands.main import cli\n"
    "cli()\n"
)


def without_fcntl(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", WITHOUT_FCNTL, *(str(a) for a in args)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        env={**os.environ, "WSIS_LEDGER_NO_CACHE": "1"},
        check=False,
    )


def test_a_write_works_where_fcntl_does_not_exist(tmp_path: Path) -> None:
    root = tmp_path / "ledger"
    shutil.copytree(shipped_ledger(), root)
    written = without_fcntl(
        "receive", "p05", "--amount", "1", "--date", "2003-06-01", "--data", root, cwd=tmp_path
    )
    assert written.returncode == 0, written.stderr
    assert written.stderr.count("\n") <= 1 and "Traceback" not in written.stderr
    assert "warning" not in written.stderr.lower()
    [new] = (root / "journal").glob("*.yaml")
    assert "amount: 1" in new.read_text(encoding="utf-8")
    # The write is in the ledger, checked, and no lock is left held: a second one works.
    again = without_fcntl(
        "receive", "p05", "--amount", "2", "--date", "2003-06-02", "--data", root, cwd=tmp_path
    )
    assert again.returncode == 0, again.stderr
    assert len(list((root / "journal").glob("*.yaml"))) == 2
    checked = without_fcntl("check", "--data", root, cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_without_fcntl_a_second_writer_still_waits_then_says_why(tmp_path: Path) -> None:
    root = tmp_path / "ledger"
    shutil.copytree(shipped_ledger(), root)
    script = (
        "import sys\n"
        "sys.modules['fcntl'] = None\n"
        "from pathlib import Path\n"
        "from wsis_ledger.write import files\n"
        f"root = Path({str(root)!r})\n"
        "with files.locked(root):\n"
        "    try:\n"
        "        with files.locked(root, wait=0.2):\n"
        "            print('acquired twice')\n"
        "    except files.WriteError as error:\n"
        "        print(error)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "another wsis-ledger is writing to this ledger" in result.stdout
    assert "acquired twice" not in result.stdout


# --- check --format github --------------------------------------------------------

ANNOTATION = re.compile(
    r"::(?P<level>error|warning) file=(?P<file>[^,:]+),line=(?P<line>\d+)(?:,col=(?P<col>\d+))?"
    r",title=(?P<title>[^,:]+)::(?P<message>.+)"
)


def broken_ledger(root: Path) -> Path:
    """The shipped ledger with three problems in two files, one of them named with , and :."""
    shutil.copytree(shipped_ledger(), root)
    edit(root / ANNEX, r"^    chf: 30000$", "    chf: 30500")  # a stated total no longer matches
    (root / "more, as of 2005: draft.yaml").write_text(
        "received:\n"
        "  - {id: r-x, donor: nobody, amount: 10, currency: CHF, date: 2005-01-01}\n"
        "  - {id: r-y, donor: sweden, amount: 1e3, currency: CHF, date: 2005-01-01}\n",
        encoding="utf-8",
    )
    return root


def test_github_annotations_name_the_same_places_as_the_table(run: Run, tmp_path: Path) -> None:
    root = broken_ledger(tmp_path / "ledger")
    table = run("check", "--data", root, "--format", "table")
    github = run("check", "--data", root, "--format", "github")
    assert github.exit_code == table.exit_code == 1
    problems, summary = table.output.splitlines()[:-1], table.output.splitlines()[-1]
    annotations = github.output.splitlines()
    assert annotations[-1] == summary and len(annotations) == len(problems) + 1
    assert len(problems) >= 3
    for annotation, problem in zip(annotations, problems, strict=False):
        match = ANNOTATION.fullmatch(annotation)
        assert match, annotation
        assert match["level"] == "error"
        path = match["file"].replace("%2C", ",").replace("%3A", ":")
        place = f"{path}:{match['line']}" + (f":{match['col']}" if match["col"] else "")
        assert problem.startswith(place + ": "), (annotation, problem)
        assert problem.endswith(match["message"])
    assert any("%2C" in a and "%3A" in a for a in annotations)  # the file named with , and :
    assert {ANNOTATION.fullmatch(a)["title"] for a in annotations[:-1]} >= {"stated-total"}  # type: ignore[index]


def test_a_clean_ledger_gives_no_annotation(run: Run) -> None:
    result = run("check", "--format", "github")
    assert result.exit_code == 0
    # The annex's rates far from the ECB's reference are warnings, never errors.
    assert result.output.startswith("::warning") or result.output.startswith("ok: ")
    assert "::error" not in result.output


def annotated_files(output: str) -> set[str]:
    return {m["file"] for line in output.splitlines() if (m := ANNOTATION.fullmatch(line))}


def test_annotations_name_files_from_the_repository_root_wherever_check_runs(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repository = tmp_path / "repo"
    root = broken_ledger(repository / "funds" / "tunis")
    git = shutil.which("git")
    assert git, "git is needed for this test"
    subprocess.run([git, "init", "-q", str(repository)], check=True)
    (repository / "funds" / "notes").mkdir()
    expected = "funds/tunis/annex-2002-12-20.yaml"
    # The git top level, from the ledger's folder, a folder beside it, and outside the work tree.
    for folder in (root, repository / "funds" / "notes", tmp_path):
        monkeypatch.chdir(folder)
        result = run("check", "--data", root, "--format", "github", "--no-cache")
        assert result.exit_code == 1, result.output
        assert expected in annotated_files(result.output), result.output
        assert all(f.startswith("funds/tunis/") for f in annotated_files(result.output))
    # GITHUB_WORKSPACE, where set, is the root (a checkout's folder, whatever git says).
    monkeypatch.setenv("GITHUB_WORKSPACE", str(repository / "funds"))
    monkeypatch.chdir(tmp_path)
    result = run("check", "--data", root, "--format", "github")
    assert "tunis/annex-2002-12-20.yaml" in annotated_files(result.output)
    # A ledger outside the workspace keeps the path `check` prints.
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path / "elsewhere"))
    result = run("check", "--data", root, "--format", "github")
    assert "repo/funds/tunis/annex-2002-12-20.yaml" in annotated_files(result.output)


def test_annotations_escape_what_github_reads_as_syntax() -> None:
    problem = Problem(Where(Path("a,b:c%.yaml"), 7, 3), "odd:code,x", "50% done\r\nnext: a, b")
    assert github_annotation(problem) == (
        "::error file=a%2Cb%3Ac%25.yaml,line=7,col=3,title=odd%3Acode%2Cx::50%25 doneU+000DU+000Anext: a, b"
    )
    whole_file = Problem(Where(Path("x.yaml")), "yaml-syntax", "unreadable")
    assert github_annotation(whole_file) == "::error file=x.yaml,title=yaml-syntax::unreadable"


def test_a_problem_with_severity_warning_is_a_github_warning() -> None:
    warned = Problem(Where(Path("x.yaml"), 2), "stale-rate", "old", severity="warning")
    assert github_annotation(warned) == "::warning file=x.yaml,line=2,title=stale-rate::old"
    assert severity(Problem(Where(Path("x.yaml"), 2), "c", "m")) == "error"


def test_table_is_the_text_format_and_text_stays_an_alias(run: Run, tmp_path: Path) -> None:
    root = broken_ledger(tmp_path / "ledger")
    text = run("check", "--data", root, "--format", "text")
    table = run("check", "--data", root, "--format", "table")
    default = run("check", "--data", root)
    assert text.output == table.output == default.output
    assert text.exit_code == table.exit_code == default.exit_code == 1


# --- the pre-commit hook and the workflow in docs/ci.md ----------------------------

REPOSITORY = Path(__file__).parent.parent
TOOL_BIN = Path(sys.executable).parent


def yaml_blocks(markdown: str) -> list[Any]:
    return [yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", markdown, re.S)]


def run_in(folder: Path, command: list[str]) -> subprocess.CompletedProcess[str]:
    """Run a command as a shell in CI would: `wsis-ledger` from the PATH, in `folder`."""
    env = {**os.environ, "PATH": f"{TOOL_BIN}{os.pathsep}{os.environ['PATH']}"}
    env.pop("WSIS_LEDGER_DATA", None)
    return subprocess.run(
        command, cwd=folder, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_the_hook_runs_check_on_the_ledger_when_its_yaml_changes(tmp_path: Path) -> None:
    [hook] = yaml.safe_load((REPOSITORY / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "wsis-ledger-check"
    assert hook["pass_filenames"] is False  # the whole ledger, whatever changed
    files = re.compile(hook["files"])
    assert files.search("data/annex-2002-12-20.yaml") and files.search("data/more.YML")
    assert not files.search("README.md") and not files.search("data/notes.txt")
    shutil.copytree(shipped_ledger(), tmp_path / "data")
    clean = run_in(tmp_path, [*shlex.split(hook["entry"]), *hook.get("args", [])])
    assert clean.returncode == 0, clean.stderr
    assert clean.stdout.startswith("ok: ")
    edit(tmp_path / "data" / ANNEX, r"^    chf: 30000$", "    chf: 30500")
    broken = run_in(tmp_path, [*shlex.split(hook["entry"]), "--no-cache"])
    assert broken.returncode == 3 and "stated total received" in broken.stdout


def test_the_workflow_in_docs_checks_the_ledger_with_annotations(tmp_path: Path) -> None:
    blocks = yaml_blocks((REPOSITORY / "docs" / "ci.md").read_text(encoding="utf-8"))
    [workflow] = [block for block in blocks if "jobs" in block]
    steps = workflow["jobs"]["check"]["steps"]
    triggers = workflow[True]  # PyYAML (YAML 1.1) reads the key `on` as true; GitHub does not
    assert triggers["pull_request"]["paths"] == triggers["push"]["paths"] == ["data/**"]
    commands = [step["run"] for step in steps if "run" in step]
    checks = [c for c in commands if c.startswith("wsis-ledger ")]
    assert checks and all("--format github" in c for c in checks)
    shutil.copytree(shipped_ledger(), tmp_path / "data")
    for command in checks:
        result = run_in(tmp_path, shlex.split(command))
        assert result.returncode == 0, result.stdout + result.stderr
    edit(tmp_path / "data" / ANNEX, r"^    chf: 30000$", "    chf: 30500")
    for command in checks:
        result = run_in(tmp_path, shlex.split(command))
        assert result.returncode == 3
        assert result.stdout.startswith("::error file=data/annex-2002-12-20.yaml,line=")


def test_the_pre_commit_configuration_in_docs_uses_the_hook(tmp_path: Path) -> None:
    blocks = yaml_blocks((REPOSITORY / "docs" / "ci.md").read_text(encoding="utf-8"))
    [config] = [block for block in blocks if "repos" in block]
    [offered] = yaml.safe_load((REPOSITORY / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    [repository] = config["repos"]
    [hook] = repository["hooks"]
    assert hook["id"] == offered["id"]
    assert re.search(hook["files"], "data/annex.yaml") and not re.search(hook["files"], "x.yaml")
    shutil.copytree(shipped_ledger(), tmp_path / "data")
    result = run_in(tmp_path, [*shlex.split(offered["entry"]), *hook["args"]])
    assert result.returncode == 0, result.stderr


def test_the_version_is_written_once_and_the_docs_name_it(run: Run) -> None:
    import tomllib

    import wsis_ledger

    version = wsis_ledger.__version__
    assert re.fullmatch(r"\d+\.\d+\.\d+", version)
    assert run("--version").output == f"wsis-ledger, version {version}\n"
    project = tomllib.loads((REPOSITORY / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["dynamic"] == ["version"] and "version" not in project["project"]
    assert project["tool"]["hatch"]["version"]["path"] == "wsis_ledger/__init__.py"
    written = [
        path
        for path in (REPOSITORY / "wsis_ledger").rglob("*.py")
        if f'"{version}"' in path.read_text(encoding="utf-8")  # as a value, not in a comment
    ]
    assert written == [REPOSITORY / "wsis_ledger" / "__init__.py"]
    # docs/ci.md pins this release and names its tag as pre-commit's `rev` is written.
    ci = (REPOSITORY / "docs" / "ci.md").read_text(encoding="utf-8")
    major_minor = ".".join(version.split(".")[:2])
    pins = re.findall(r"wsis-ledger==([\d.*]+)", ci)
    assert pins and set(pins) == {major_minor + ".*"}
    [config] = [block for block in yaml_blocks(ci) if "repos" in block]
    assert config["repos"][0]["rev"] == f"v{version}"
    assert set(re.findall(r"wsis-ledger@(v[\d.]+)", ci)) == {f"v{version}"}
    changelog = (REPOSITORY / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"Released as {version}" in changelog or f"## [{version}]" in changelog

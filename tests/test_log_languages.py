"""`log` tells its git warnings (a file changed after it was committed, by someone else or
not committed) in the language asked for, from the catalogs; its JSON and CSV keep the
English, which scripts read, and a name from git is shown escaped."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import Run
from test_controls import fund  # noqa: F401 (a fixture)

from wsis_ledger.core.language import LANGUAGES, word

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

OTHERS = [lang for lang in LANGUAGES if lang != "en"]
#: The English words of the two warnings: none is left in another language.
ENGLISH = ("changed", "committed", "recorder", "not by")


def recorded(root: Path, run: Run) -> tuple[list[str], Path]:
    """A write in a git work tree, committed by its recorder: git's command, the file."""
    git = ["git", "-C", str(root)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "config", "user.name", "Ana Diaz"], check=True)
    subprocess.run([*git, "config", "user.email", "ana@example.org"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "start"], check=True)
    spent = run("spend", "100", "--date", "2004-03-02", "--description", "Post", "--data", root)
    assert spent.exit_code == 0, spent.output
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "spend"], check=True)
    (written,) = (root / "journal").glob("*.yaml")
    written.write_text(written.read_text() + "# edited\n")
    return git, written


def told(run: Run, root: Path, lang: str, english: str) -> str:
    """The warning `log --lang` tells on standard error, after asserting that JSON and CSV
    keep its `english` and that the table and the warning have no English word left."""
    for fmt in ("json", "csv"):  # the English a script reads, in every language
        asked = run("log", "--data", root, "--format", fmt, "--lang", lang)
        assert english in asked.stdout
    (row,) = json.loads(run("log", "--data", root, "--format", "json").stdout)["writes"]
    assert row["warning"].startswith(english)
    result = run("log", "--data", root, "--lang", lang)
    assert result.exit_code == 0, result.output
    prefix = word(lang, "warning_line", "warning: {warning}").split("{warning}")[0]
    (line,) = [line for line in result.stderr.splitlines() if line.startswith(prefix)]
    (written,) = (root / "journal").glob("*.yaml")
    for text in (line, result.stdout):
        left = [w for w in ENGLISH if w in text.replace(written.name, "")]
        assert left == [], f"English words left in log --lang {lang}: {left}\n{text}"
    return line


@pytest.mark.parametrize("lang", OTHERS)
def test_log_tells_a_change_by_another_in_the_language_asked(
    run: Run,
    fund: Path,  # noqa: F811 (the fixture imported above)
    lang: str,
) -> None:
    git, _ = recorded(fund, run)
    other = ["-c", "user.name=Bob\x1b[31m", "-c", "user.email=bob@example.org"]
    subprocess.run([*git[:3], *other, "commit", "-qam", "edit"], check=True)
    line = told(run, fund, lang, "changed after it was committed, by Bob")
    assert "BobU+001B[31m <bob@example.org>" in line  # git's name, escaped
    assert "\x1b" not in line


@pytest.mark.parametrize("lang", OTHERS)
def test_log_tells_a_change_not_committed_in_the_language_asked(
    run: Run,
    fund: Path,  # noqa: F811 (the fixture imported above)
    lang: str,
) -> None:
    recorded(fund, run)
    line = told(run, fund, lang, "changed since it was committed (the change is not committed)")
    assert line.endswith(
        word(
            lang,
            "log_changed_uncommitted",
            "changed since it was committed (the change is not committed)",
        )
    )

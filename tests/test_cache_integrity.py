"""The caches never answer for bytes they were not made from, and never hurt a run.

A file changed between the key and the load, a damaged, planted or renamed
entry, another spelling of the folder, no home, a cache folder that cannot be
written: each still gives exactly the answer of `--no-cache`, no traceback,
and nothing left behind.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ANNEX, Run, edit

from wsis_ledger import answers
from wsis_ledger.source import store
from wsis_ledger.source.snapshot import LedgerFiles

BROKEN = (r"^    chf: 317660$", "    chf: 317661")


def key(root: Path, *options: str) -> str | None:
    """The answers cache's key for `options` over the ledger at `root` as it is now."""
    return answers.key(LedgerFiles(root), options)


def answer_entry(tmp_path: Path, entry_key: str | None) -> Path:
    assert entry_key is not None
    return tmp_path / "cache" / "wsis-ledger" / answers.ANSWERS_FOLDER / entry_key


def entries(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "cache" / "wsis-ledger"
    return sorted(folder.rglob("*")) if folder.exists() else []


def temporary_files(tmp_path: Path) -> list[Path]:
    return [p for p in entries(tmp_path) if p.name.endswith(".tmp")]


def fresh(run: Run, *args: str | Path) -> tuple[int, str]:
    result = run(*args, "--no-cache")
    return result.exit_code, result.output


def cached(run: Run, *args: str | Path) -> tuple[int, str]:
    result = run(*args)
    return result.exit_code, result.output


def test_a_file_changed_between_key_and_load_is_never_filed_under_the_old_bytes(
    run: Run, ledger_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The load takes the very bytes the key was made from: a file edited in between
    gives the answer of the bytes read, filed under their key."""
    annex = ledger_dir / ANNEX
    intact = fresh(run, "check", "--data", ledger_dir)
    real_key = answers.key

    def key_then_edit(files: LedgerFiles, options: tuple[str, ...]) -> str | None:
        found = real_key(files, options)
        edit(annex, *BROKEN)  # after the key is made, before the load reads
        return found

    monkeypatch.setattr(answers, "key", key_then_edit)
    during = cached(run, "check", "--data", ledger_dir)
    monkeypatch.setattr(answers, "key", real_key)
    assert during == intact and intact[0] == 0, (during, intact)
    broken = fresh(run, "check", "--data", ledger_dir)
    assert broken[0] == 3 and "stated total received" in broken[1]
    assert cached(run, "check", "--data", ledger_dir) == broken


def test_a_ledger_changed_during_a_report_is_never_filed_under_the_old_bytes(
    run: Run, ledger_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    annex = ledger_dir / ANNEX
    intact = annex.read_text()
    real_key = answers.key

    def key_then_edit(files: LedgerFiles, options: tuple[str, ...]) -> str | None:
        found = real_key(files, options)
        edit(annex, r"^    chf: 317660$", "    chf: 317660\n    note: changed")
        return found

    monkeypatch.setattr(answers, "key", key_then_edit)
    run("report", "--format", "json", "--data", ledger_dir)
    monkeypatch.setattr(answers, "key", real_key)
    args = ("report", "--format", "json", "--data", ledger_dir)
    assert cached(run, *args) == fresh(run, *args)  # the edited file's own answer
    annex.write_text(intact)
    assert cached(run, *args) == fresh(run, *args)


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # truncated
        lambda data: b"",
        lambda data: data[:40] + bytes([data[40] ^ 1]) + data[41:],  # one bit
        lambda data: b'{"stdout": "ok: forged\\n", "stderr": "", "exit_code": 0}',  # the old form
    ],
)
def test_a_damaged_or_planted_output_entry_is_never_printed(
    run: Run, ledger_dir: Path, tmp_path: Path, damage: object
) -> None:
    edit(ledger_dir / ANNEX, *BROKEN)
    expected = fresh(run, "check", "--data", ledger_dir)
    run("check", "--data", ledger_dir)
    entry = answer_entry(tmp_path, key(ledger_dir, "check", "table", ""))
    entry.write_bytes(damage(entry.read_bytes()))  # type: ignore[operator]
    assert cached(run, "check", "--data", ledger_dir) == expected
    assert cached(run, "check", "--data", ledger_dir) == expected


def test_an_entry_renamed_from_another_key_is_never_printed(
    run: Run, ledger_dir: Path, tmp_path: Path
) -> None:
    intact = cached(run, "check", "--data", ledger_dir)
    intact_key = key(ledger_dir, "check", "table", "")
    edit(ledger_dir / ANNEX, *BROKEN)
    broken = fresh(run, "check", "--data", ledger_dir)
    broken_key = key(ledger_dir, "check", "table", "")
    answer_entry(tmp_path, broken_key).write_bytes(answer_entry(tmp_path, intact_key).read_bytes())
    assert intact[0] == 0 and broken[0] == 3
    assert cached(run, "check", "--data", ledger_dir) == broken


def test_a_planted_record_entry_runs_nothing_and_changes_nothing(
    run: Run, ledger_dir: Path, tmp_path: Path
) -> None:
    expected = fresh(run, "report", "--format", "json", "--data", ledger_dir)
    run("report", "--format", "json", "--data", ledger_dir)
    folder = tmp_path / "cache" / "wsis-ledger"
    secret = (folder / "secret").read_bytes()
    marker = tmp_path / "ran"

    class Planted:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return os.system, (f"touch {marker}",)

    payload = pickle.dumps(Planted())
    records = sorted((folder / "records").iterdir())
    assert records
    for path in records:  # even sealed with the folder's own secret
        path.write_bytes(store._seal(secret, path.name, payload) + payload)
    (folder / "secret").write_bytes(secret)
    for path in sorted((folder / answers.ANSWERS_FOLDER).iterdir()):
        path.unlink()  # so that the records are read
    assert cached(run, "report", "--format", "json", "--data", ledger_dir) == expected
    assert not marker.exists()


def test_another_spelling_of_the_folder_names_its_own_paths(
    run: Run, ledger_dir: Path, tmp_path: Path
) -> None:
    edit(ledger_dir / ANNEX, *BROKEN)
    (tmp_path / "alias").symlink_to(ledger_dir)
    for spelling in ("ledger", "alias", "./ledger", str(tmp_path / "alias")):
        expected = fresh(run, "check", "--data", spelling)
        assert cached(run, "check", "--data", spelling) == expected
        assert cached(run, "check", "--format", "json", "--data", spelling) == fresh(
            run, "check", "--format", "json", "--data", spelling
        )
    assert "alias/" in cached(run, "check", "--data", "alias")[1]
    assert "ledger/" not in cached(run, "check", "--data", "alias")[1]


def run_without_home(tmp_path: Path, variables: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("HOME", "XDG_CACHE_HOME")}
    env.pop("WSIS_LEDGER_DATA", None)
    env.update(variables)
    return subprocess.run(
        [sys.executable, "-m", "wsis_ledger", "check"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
    )


@pytest.mark.parametrize(
    "variables", [{}, {"HOME": ""}, {"HOME": "relative"}, {"XDG_CACHE_HOME": "relative"}]
)
def test_no_home_means_no_cache_not_a_traceback(tmp_path: Path, variables: dict[str, str]) -> None:
    runs = [run_without_home(tmp_path, variables) for _ in range(2)]
    for done in runs:
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("ok: ") and done.stderr == ""
    assert runs[0].stdout == runs[1].stdout
    assert list(tmp_path.iterdir()) == []  # nothing written in the working folder


@pytest.mark.parametrize("kind", ["a file", "a symlink", "read-only"])
def test_a_cache_folder_that_cannot_be_used_means_no_cache(
    run: Run, ledger_dir: Path, tmp_path: Path, kind: str
) -> None:
    folder = tmp_path / "cache" / "wsis-ledger"
    folder.parent.mkdir()
    if kind == "a file":
        folder.write_text("not a folder")
    elif kind == "a symlink":
        (tmp_path / "elsewhere").mkdir()
        folder.symlink_to(tmp_path / "elsewhere")
    else:
        if os.geteuid() == 0:
            pytest.skip("root writes into a read-only folder")
        folder.mkdir(mode=0o500)
    expected = fresh(run, "check", "--data", ledger_dir)
    assert cached(run, "check", "--data", ledger_dir) == expected
    assert cached(run, "check", "--data", ledger_dir) == expected
    if kind == "a symlink":
        assert list((tmp_path / "elsewhere").iterdir()) == []


def test_a_write_that_fails_leaves_no_temporary_file(
    run: Run, ledger_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store.os, "rename", full)  # how safefiles.create puts it in place
    expected = fresh(run, "check", "--data", ledger_dir)
    assert cached(run, "check", "--data", ledger_dir) == expected
    assert temporary_files(tmp_path) == []
    assert [p for p in entries(tmp_path) if p.parent.name == answers.ANSWERS_FOLDER] == []


def test_an_interrupted_write_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(store.os, "rename", interrupted)
    with pytest.raises(KeyboardInterrupt):
        answers.put("k" * 64, answers.Cached("out", "", 0))
    assert temporary_files(tmp_path) == []
    assert answers.get("k" * 64) is None


def test_the_cache_folder_is_private(run: Run, ledger_dir: Path, tmp_path: Path) -> None:
    run("check", "--data", ledger_dir)
    folder = tmp_path / "cache" / "wsis-ledger"
    assert folder.stat().st_mode & 0o077 == 0
    assert (folder / "secret").stat().st_mode & 0o077 == 0
    assert temporary_files(tmp_path) == []


def test_a_damaged_secret_is_made_again_not_the_cache_turned_off(
    run: Run, ledger_dir: Path, tmp_path: Path
) -> None:
    """A secret of the wrong length (a disk fault, a truncating copy) is replaced: the
    next runs fill the cache again and answer from it, giving `--no-cache`'s answer."""
    expected = fresh(run, "check", "--data", ledger_dir)
    cached(run, "check", "--data", ledger_dir)
    secret = tmp_path / "cache" / "wsis-ledger" / "secret"
    secret.write_bytes(b"short")
    assert cached(run, "check", "--data", ledger_dir) == expected
    assert len(secret.read_bytes()) == store.SECRET_BYTES
    entry = answer_entry(tmp_path, key(ledger_dir, "check", "table", ""))
    assert answers.get(entry.name) is not None  # filed again, under the new secret
    assert cached(run, "check", "--data", ledger_dir) == expected


def test_the_store_is_pruned_by_size_oldest_first(tmp_path: Path) -> None:
    folder = tmp_path / "entries"
    folder.mkdir()
    for number in range(10):
        path = folder / f"e{number}"
        path.write_bytes(b"x" * 1000)
        os.utime(path, ns=(number * 10**9, number * 10**9))
    store.prune(folder, 10_000)
    assert len(list(folder.iterdir())) == 10  # within the budget: nothing goes
    store.prune(folder, 6_000)
    assert sorted(p.name for p in folder.iterdir()) == ["e6", "e7", "e8", "e9"]

"""Class 1 of issue 27: no file is ever written through a link, nor into a ledger.

A seeded generator builds many layouts of links around a ledger (links to
ledger files and to folders, relative and absolute, chains of links, hard
links, links into the ledger from outside, names planted where a write could
put its temporary) and then tries every spelling of every file and folder the
ledger reads as an output (`-o`), and writes new ledger files among the
planted links. Nothing outside the new file may change, an output is refused
wherever it would land on what the ledger reads, and a new ledger file is
always a plain file in the ledger.

CI runs 300 layouts; more: WSIS_FUZZ_EXAMPLES=5000 pytest tests/test_fuzz_links.py
"""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import pytest
from conftest import Run

from wsis_ledger.write.files import WriteError, replace_output_file, write_new_file

EXAMPLES = int(os.environ.get("WSIS_FUZZ_EXAMPLES", "300"))


def snapshot(top: Path) -> dict[str, object]:
    """Every entry below `top` as it is (a link's target, a file's bytes), no link followed."""
    seen: dict[str, object] = {}
    for folder, folders, files in os.walk(top):
        for name in folders + files:
            path = Path(folder) / name
            key = str(path.relative_to(top))
            if path.is_symlink():
                seen[key] = ("link", os.readlink(path))
            elif path.is_file():
                seen[key] = path.read_bytes()
            else:
                seen[key] = "folder"
    return seen


def link(rng: random.Random, at: Path, to: Path) -> None:
    """A link at `at` to `to`, absolute or relative at random."""
    target = str(to) if rng.random() < 0.5 else os.path.relpath(to, at.parent)
    at.symlink_to(target)


def layout(rng: random.Random, top: Path) -> tuple[Path, list[Path]]:
    """A ledger in `top/ledger` with links planted at random; returns the ledger folder and
    paths (of many spellings) that reach something the ledger reads."""
    ledger = top / "ledger"
    outside = top / "outside"
    (ledger / "journal").mkdir(parents=True)
    (outside / "ext").mkdir(parents=True)
    (ledger / "ledger.yaml").write_text("fund: {}\n")
    (ledger / "donors.yaml").write_text("donors: []\n")
    (ledger / "journal" / "a.yaml").write_text("entries: []\n")
    (outside / "x.yaml").write_text("donors: []\n")
    (outside / "ext" / "e.yaml").write_text("entries: []\n")
    reached = [
        ledger / "donors.yaml",
        ledger / "ledger.yaml",
        ledger / "journal" / "a.yaml",
        ledger / "journal" / ".." / "donors.yaml",
        ledger / "new-output.csv",
        ledger / "journal" / "new.txt",
    ]
    if rng.random() < 0.7:  # a ledger file that is a link to a file outside
        link(rng, ledger / "ext.yaml", outside / "x.yaml")
        reached += [ledger / "ext.yaml", outside / "x.yaml"]
    if rng.random() < 0.7:  # a folder of the ledger that is a link to one outside
        link(rng, ledger / "linked", outside / "ext")
        reached += [
            outside / "ext" / "e.yaml",
            outside / "ext" / "new.html",
            ledger / "linked" / "e.yaml",
            ledger / "linked" / "other.csv",
        ]
    if rng.random() < 0.5:  # a chain of links, ending at a file the ledger reads
        (outside / "c.yaml").write_text("donors: []\n")
        link(rng, outside / "chain2", outside / "c.yaml")
        link(rng, outside / "chain1", outside / "chain2")
        link(rng, ledger / "c.yaml", outside / "chain1")
        reached += [outside / "chain1", outside / "chain2", outside / "c.yaml"]
    if rng.random() < 0.5:  # a hard link outside to a ledger file
        os.link(ledger / "donors.yaml", outside / "hard.csv")
        reached.append(outside / "hard.csv")
    if rng.random() < 0.6:  # links from outside into the ledger
        link(rng, outside / "via", ledger)
        link(rng, outside / "report.csv", ledger / "donors.yaml")
        reached += [
            outside / "via" / "donors.yaml",
            outside / "via" / "journal" / "out.csv",
            outside / "report.csv",
        ]
    return ledger, reached


@pytest.mark.parametrize("chunk", range(10))
def test_no_output_lands_on_what_the_ledger_reads(tmp_path: Path, chunk: int) -> None:
    for seed in range(chunk, EXAMPLES, 10):
        rng = random.Random(seed)
        top = tmp_path / str(seed)
        ledger, reached = layout(rng, top)
        before = snapshot(top)
        for target in rng.sample(reached, min(len(reached), 4)):
            shown = target if rng.random() < 0.7 else Path(os.path.relpath(target))
            with pytest.raises(WriteError, match="never written into a ledger"):
                replace_output_file(shown, [b"a,b\n", b"1,2\n"], ledger)
        assert snapshot(top) == before, seed
        # A place that is not the ledger's is written, through a link too.
        free = top / "free.csv"
        if rng.random() < 0.5:
            (top / "elsewhere.csv").write_text("old\n")
            link(rng, free, top / "elsewhere.csv")
        replace_output_file(free, b"new\n", ledger)
        assert free.read_bytes() == b"new\n"
        shutil.rmtree(top)


def planted_names(rng: random.Random, name: str) -> list[str]:
    """Names a writer might use for its temporary, or the file itself."""
    names = [
        f".{name}.{os.getpid()}.tmp",
        f".{name}.{rng.randrange(1 << 20)}.tmp",
        f".{name}.tmp",
        f".{name}",
        name,
        f"{name}.tmp",
    ]
    return rng.sample(names, rng.randrange(1, len(names)))


@pytest.mark.parametrize("chunk", range(10))
def test_a_new_ledger_file_is_a_plain_file_in_the_ledger(tmp_path: Path, chunk: int) -> None:
    for seed in range(chunk, EXAMPLES, 10):
        rng = random.Random(seed)
        top = tmp_path / str(seed)
        ledger, _ = layout(rng, top)
        victim = top / "victim.yaml"
        victim.write_text("precious\n")
        folder = ledger / rng.choice(["journal", "imports", "journal/deep"])
        if rng.random() < 0.2 and not folder.exists():
            folder.parent.mkdir(parents=True, exist_ok=True)
            link(rng, folder, top / "outside" / "ext")  # the folder itself a link
        name = f"2003-01-0{rng.randrange(1, 10)}-p{seed}.yaml"
        planted = planted_names(rng, name) if folder.is_dir() and not folder.is_symlink() else []
        if planted:
            for each in planted:
                target = victim if rng.random() < 0.8 else top / "nowhere"
                link(rng, folder / each, target)
        before = snapshot(top)
        try:
            write_new_file(folder / name, "entries: []\n", ledger)
        except WriteError:
            assert snapshot(top) == before, seed  # refused: nothing changed anywhere
        else:
            written = folder / name
            assert not written.is_symlink() and written.read_text() == "entries: []\n"
            assert name not in planted
            after = snapshot(top)
            new = {key for key in after if key not in before}
            assert new <= {
                str(p.relative_to(top)) for p in [written, *written.parents] if top in p.parents
            }, seed
            assert {k: v for k, v in after.items() if k in before} == before, seed
        assert victim.read_text() == "precious\n"
        shutil.rmtree(top)


# --- the review's cases, through the commands -----------------------------------


def test_check_output_onto_a_linked_ledger_file_is_refused(
    run: Run, ledger_dir: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "ext.yaml"
    shutil.copy(ledger_dir / "donors.yaml", tmp_path / "donors-copy.yaml")
    outside.write_text("donors: []\n")
    (ledger_dir / "ext.yaml").symlink_to(outside)
    result = run("check", "--format", "json", "--data", ledger_dir, "-o", ledger_dir / "ext.yaml")
    assert result.exit_code == 1, result.output
    assert outside.read_text() == "donors: []\n"
    result = run("check", "--format", "json", "--data", ledger_dir, "-o", outside)
    assert result.exit_code == 1 and outside.read_text() == "donors: []\n"


def test_report_output_into_a_linked_journal_folder_is_refused(
    run: Run, ledger_dir: Path, tmp_path: Path
) -> None:
    journal = tmp_path / "shared-journal"
    journal.mkdir()
    (journal / "x.yaml").write_text("donors: []\n")
    (ledger_dir / "journal").symlink_to(journal, target_is_directory=True)
    for target in (journal / "x.yaml", journal / "new.yaml", ledger_dir / "journal" / "x.yaml"):
        result = run("report", "--format", "csv", "--data", ledger_dir, "-o", target)
        assert result.exit_code == 1, result.output
        assert "never written into a ledger" in result.output
    assert sorted(p.name for p in journal.iterdir()) == ["x.yaml"]
    assert (journal / "x.yaml").read_text() == "donors: []\n"


def test_export_onto_the_target_of_a_linked_ledger_file_is_refused(
    run: Run, ledger_dir: Path, tmp_path: Path
) -> None:
    donors = ledger_dir / "donors.yaml"
    moved = tmp_path / "kept" / "donors.yaml"
    moved.parent.mkdir()
    donors.rename(moved)
    donors.symlink_to(moved)
    before = moved.read_bytes()
    for fmt in ("beancount", "csv", "xlsx"):
        result = run("export", "--format", fmt, "--data", ledger_dir, "-o", moved)
        assert result.exit_code == 1, result.output
    assert moved.read_bytes() == before and donors.is_symlink()


def test_a_link_planted_at_a_temporary_name_is_never_followed(
    run: Run, ledger_dir: Path, tmp_path: Path
) -> None:
    victim = tmp_path / "victim"
    victim.write_text("precious\n")
    journal = ledger_dir / "journal"
    journal.mkdir(exist_ok=True)
    name = "2003-02-01-p02-cancelled-1.yaml"
    for pid in range(os.getpid() - 5, os.getpid() + 5):
        (journal / f".{name}.{pid}.tmp").symlink_to(victim)
    result = run("cancel", "p02", "--date", "2003-02-01", "--note", "n", "--data", ledger_dir)
    assert result.exit_code == 0, result.output
    assert victim.read_text() == "precious\n"
    assert (journal / name).is_file() and not (journal / name).is_symlink()


# --- the cache's store: links planted there are never followed --------------------


@pytest.mark.parametrize("seed", range(12))
def test_links_planted_in_the_cache_are_never_followed(
    run: Run, ledger_dir: Path, tmp_path: Path, seed: int
) -> None:
    from wsis_ledger.answers import ANSWERS_FOLDER
    from wsis_ledger.source.filecache import RECORDS_FOLDER
    from wsis_ledger.source.store import SECRET_FILE

    rng = random.Random(seed)
    store = tmp_path / "cache" / "wsis-ledger"
    store.mkdir(parents=True, mode=0o700)
    victim = tmp_path / "victim"
    victim.write_text("precious, and as long as a secret\n"[:32])  # 32 bytes, as a secret
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    planted = rng.sample([SECRET_FILE, ANSWERS_FOLDER, RECORDS_FOLDER], rng.randrange(1, 4))
    for name in planted:
        link(rng, store / name, victim if name == SECRET_FILE else elsewhere)
    before = snapshot(elsewhere), victim.read_text()
    first = run("check", "--data", ledger_dir)
    second = run("check", "--data", ledger_dir)
    assert first.exit_code == second.exit_code == 0, (first.output, second.output)
    assert first.output == second.output
    assert (snapshot(tmp_path / "elsewhere"), victim.read_text()) == before
    # A linked folder stays a link, never written through; a secret planted as a link
    # reads as damaged and is replaced by a file of its own (the link, not its target).
    assert all((store / name).is_symlink() for name in planted if name != SECRET_FILE)
    assert not (store / SECRET_FILE).is_symlink()

"""What git says of a ledger folder: who the user is, and which commit added each file.

git is run as a program (never through a shell), with a time limit; where it
is not installed, does not answer in time, or the folder is not in a git work
tree, every function here gives None and the caller goes on without it.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import NamedTuple  # not dataclasses: `check --format github` answered from

# the cache imports this module for `repository_root`, and no more than it needs

#: How long one git command may take.
GIT_SECONDS = 5.0
#: The most a git command's answer may hold (a history of a large ledger stays under it).
GIT_OUTPUT_BYTES = 64 * 1024 * 1024


def run_git(root: Path, *args: str) -> str | None:
    """git's standard output for `args`, run in `root`; None when git failed or is absent."""
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            timeout=GIT_SECONDS,
            check=False,
            stdin=subprocess.DEVNULL,
            env={**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"},
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0 or len(done.stdout) > GIT_OUTPUT_BYTES:
        return None
    return done.stdout.decode("utf-8", "replace")


def in_work_tree(root: Path) -> bool:
    """True when `root` is inside a git work tree."""
    return (run_git(root, "rev-parse", "--is-inside-work-tree") or "").strip() == "true"


def repository_root(folder: Path) -> Path | None:
    """The root of the repository `folder` is in, as a CI names paths: `GITHUB_WORKSPACE`
    where it is set, else git's top level of `folder`; None outside a git work tree."""
    workspace = os.environ.get("GITHUB_WORKSPACE", "")
    if workspace:
        return Path(os.path.realpath(workspace))
    top = (run_git(folder, "rev-parse", "--show-toplevel") or "").strip()
    return Path(os.path.realpath(top)) if top else None


def git_user(root: Path) -> str | None:
    """`user.name <user.email>` as git in `root` has them (the name alone where there is
    no e-mail address); None outside a work tree or where git has no user name."""
    if not in_work_tree(root):
        return None
    name = (run_git(root, "config", "user.name") or "").strip()
    email = (run_git(root, "config", "user.email") or "").strip()
    if not name:
        return None
    return f"{name} <{email}>" if email else name


class Commit(NamedTuple):
    """A commit that touched a file: its id and its author (`name <email>`)."""

    id: str
    author: str


class FileHistory(NamedTuple):
    """A file's history in git: the commit that added it, later commits that changed
    it, and whether the work tree differs from what was committed."""

    added: Commit | None
    changed: tuple[Commit, ...]
    uncommitted: bool


def histories(root: Path) -> dict[Path, FileHistory] | None:
    """Each file under `root` that git knows, with its history; None outside a work tree
    (or when git cannot say). Two git commands for the whole folder, not one a file."""
    if not in_work_tree(root):
        return None
    top = (run_git(root, "rev-parse", "--show-toplevel") or "").strip()
    log = run_git(
        root,
        "log",
        "--reverse",
        "--no-renames",
        "--format=%x00%H%x09%an <%ae>",
        "--name-status",
        "--",
        ".",
    )
    if not top or log is None:
        return None
    base = Path(top)
    added: dict[Path, Commit] = {}
    changed: dict[Path, list[Commit]] = {}
    for block in log.split("\0")[1:]:
        head, _, names = block.partition("\n")
        commit_id, _, author = head.partition("\t")
        commit = Commit(commit_id, author)
        for line in names.splitlines():
            status, _, name = line.partition("\t")
            if not name:
                continue
            path = base / name
            if status.startswith("A"):
                added[path] = commit
                changed[path] = []
            elif status.startswith("M") and path in added:
                changed[path].append(commit)
    status = run_git(root, "status", "--porcelain", "--no-renames", "-z", "--", ".") or ""
    dirty = {base / item[3:] for item in status.split("\0") if len(item) > 3}
    return {
        path: FileHistory(added.get(path), tuple(changed.get(path, ())), path in dirty)
        for path in {*added, *dirty}
    }

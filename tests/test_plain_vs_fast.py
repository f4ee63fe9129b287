"""One test for every shortcut: each read command, in every format it offers, gives the
same bytes with `WSIS_LEDGER_PLAIN=1` (no cache of any kind, no in-process shortcut) as
without it, run twice without it (the second run answered from the caches).

The commands and their formats are read from the commands themselves (their `--format`
choices), so a format or a read command added later is compared here without a change to
this file; a new command with `--format` must be named below as a read or not.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from wsis_ledger.commands.main import cli
from wsis_ledger.source.discovery import shipped_ledger

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from generate import generate  # noqa: E402

PLAIN = "WSIS_LEDGER_PLAIN"
#: Entries of the generated ledger: a few thousand, in four files.
GENERATED_ENTRIES = 2000

#: Each command that reads a ledger and has `--format`, with what it needs besides
#: (`{donor}`: a donor of the ledger). The offline reference rates: no network.
READS: dict[tuple[str, ...], tuple[str, ...]] = {
    ("report",): (),
    ("check",): (),
    ("donor",): ("{donor}",),
    ("pledges",): (),
    ("budget",): (),
    ("statements",): (),
    ("loan", "status"): (),
    ("rates", "list"): (),
    ("rates", "check"): ("--source", "ecb-offline"),
    ("export",): (),
    ("accounts",): (),
}
#: Formats not compared here, and why.
FORMATS_NOT_COMPARED = {
    (("accounts",), "pdf"): "Chromium prints the html, which is compared (seconds a run)",
    (("report",), "pdf"): "Chromium prints the html, which is compared (seconds a run)",
}
#: Commands with `--format` that are not compared here, and why.
NOT_READS = {
    ("import",): "a write: its plan is checked against the written ledger in test_writes",
    ("convert",): "converts its arguments; an entry's rate is the report's (test_convert)",
    ("log",): "lists the files' recorded_by and recorded_at, no figure (test_controls)",
    **{
        tuple(words.split()): "a write: --format says what it wrote (test_write_results)"
        for words in (
            "init",
            "receive",
            "spend",
            "cancel",
            "reassign",
            "loan draw",
            "loan repay",
            "loan facility add",
            "statement add",
            "statement acknowledge",
            "close",
            "reopen",
            "approve",
            "rates fetch",
            "income",
            "refund",
            "charge",
        )
    },
    ("reconcile",): "needs two statements of each ledger; its totals are checked against "
    "each statement's own figures on generated ledgers in test_reconcile",
}


def _commands() -> Iterator[tuple[tuple[str, ...], click.Command]]:
    """Every command that runs (not a group), by its words."""
    context = click.Context(cli)

    def walk(
        command: click.Command, words: tuple[str, ...]
    ) -> Iterator[tuple[tuple[str, ...], click.Command]]:
        if isinstance(command, click.Group):
            for name in command.list_commands(context):
                sub = command.get_command(context, name)
                assert sub is not None
                yield from walk(sub, (*words, name))
        else:
            yield words, command

    yield from walk(cli, ())


def _choices(command: click.Command, name: str) -> tuple[str, ...]:
    for param in command.params:
        if name in param.opts and isinstance(param.type, click.Choice):
            return tuple(str(c) for c in param.type.choices)
    return ()


@dataclass(frozen=True)
class Variant:
    words: tuple[str, ...]
    fmt: str
    lang: str | None

    def __str__(self) -> str:
        return " ".join((*self.words, self.fmt, *(self.lang or "",))).strip()


def _variants() -> list[Variant]:
    """Every read command in every format, in each language where it offers one."""
    commands = dict(_commands())
    variants = []
    for words in READS:
        command = commands[words]
        for fmt in _choices(command, "--format"):
            if (words, fmt) in FORMATS_NOT_COMPARED:
                continue
            for lang in _choices(command, "--lang") or (None,):
                variants.append(Variant(words, fmt, lang))
    return variants


VARIANTS = _variants()


def test_every_command_with_a_format_is_compared_or_said_not_to_be() -> None:
    with_format = {words for words, command in _commands() if _choices(command, "--format")}
    assert with_format == set(READS) | set(NOT_READS)
    assert {v.fmt for v in VARIANTS if v.words == ("report",)} >= {"table", "json", "html"}


# --- the four ledgers -----------------------------------------------------------


#: The writes that make the annex lived in: payments in two other currencies, a
#: cancellation, a loan drawn and partly repaid, expenditure in euros and in CHF.
WRITES = (
    ["receive", "p02", "--amount", "400000", "--rate", "0.92", "--date", "2003-03-15"],
    ["receive", "p01", "--amount", "100000", "--rate", "1.45", "--date", "2003-02-10"],
    ["cancel", "p04", "--date", "2003-04-01", "--note", "withdrawn"],
    ["loan", "draw", "1000000", "--date", "2003-01-15", "--use", "preparatory work"],
    ["loan", "repay", "400000", "--date", "2003-06-30"],
    ["spend", "50000", "EUR", "--rate", "1.46", "--date", "2003-05-05",
     "--description", "Meeting rooms"],
    ["spend", "20000", "--date", "2003-05-20", "--description", "Interpreters"],
)  # fmt: skip


def _lived(root: Path, cache: Path) -> None:
    """The annex after `WRITES`, made with the tool's own commands (before the tests' own
    settings: the cache folder is named here, the time fixed)."""
    env = {"XDG_CACHE_HOME": str(cache), "SOURCE_DATE_EPOCH": "1700000000"}
    for args in WRITES:
        result = CliRunner(env=env).invoke(cli, [*args, "--data", str(root)])
        assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def ledgers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The shipped annex, the example fund, a generated ledger and the annex lived in."""
    base = tmp_path_factory.mktemp("ledgers")
    made = {"annex": base / "annex", "fund": base / "fund", "generated": base / "generated"}
    shutil.copytree(shipped_ledger(), made["annex"])
    shutil.copytree(ROOT / "examples" / "fund", made["fund"])
    generate(GENERATED_ENTRIES, made["generated"], per_file=GENERATED_ENTRIES // 4)
    made["lived"] = base / "lived"
    shutil.copytree(shipped_ledger(), made["lived"])
    _lived(made["lived"], base / "cache")
    return made


# --- the comparison -------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    code: int
    stdout: bytes
    stderr: bytes
    written: bytes | None  # a file written with -o, where the format needs one


def _invoke(args: list[str], plain: bool, target: Path | None) -> Answer:
    env = {PLAIN: "1" if plain else None}
    if target is not None:
        target.unlink(missing_ok=True)
        args = [*args, "-o", str(target)]
    result = CliRunner(env=env).invoke(cli, args, catch_exceptions=False)
    written = target.read_bytes() if target is not None and target.exists() else None
    return Answer(result.exit_code, result.stdout_bytes, result.stderr_bytes, written)


def _args(variant: Variant, root: Path, donor: str) -> list[str]:
    extra = [a.format(donor=donor) for a in READS[variant.words]]
    lang = ["--lang", variant.lang] if variant.lang else []
    return [*variant.words, *extra, "--format", variant.fmt, *lang, "--data", str(root)]


def _a_donor(root: Path) -> str:
    result = CliRunner(env={PLAIN: "1"}).invoke(
        cli, ["report", "--format", "json", "--data", str(root)]
    )
    document = json.loads(result.stdout)
    return str((document["received"]["entries"] or document["pledged"]["entries"])[0]["donor_id"])


@pytest.mark.parametrize("name", ["annex", "fund", "generated", "lived"])
def test_plain_and_fast_give_the_same_bytes(
    name: str, ledgers: dict[str, Path], tmp_path: Path
) -> None:
    root = ledgers[name]
    donor = _a_donor(root)
    differ: list[str] = []
    refused: list[tuple[str, ...]] = []
    for variant in VARIANTS:
        args = _args(variant, root, donor)
        plain = _invoke(args, True, None)
        # A format that is only written to a file (a workbook, a database) says so: -o.
        target = None
        if plain.code == 2 and b"-o" in plain.stderr:
            target = tmp_path / f"out.{variant.fmt}"
            plain = _invoke(args, True, target)
        if plain.code == 2:  # a usage error: nothing to show (a budget without lines)
            refused.append(variant.words)
        else:
            # Something to compare: an answer, or a refusal that says why.
            assert plain.stdout or plain.written or plain.stderr, f"{variant}: no output"
        first, again = _invoke(args, False, target), _invoke(args, False, target)
        for run, answer in (("first", first), ("again", again)):
            if answer != plain:
                differ.append(f"{variant} ({run} run without {PLAIN})")
    assert differ == []
    # Only `budget` may have nothing to show, on a ledger without budget lines.
    assert set(refused) <= ({("budget",)} if name != "fund" else set())


#: Run as separate processes too: what happens before click (the command line read,
#: the environment), and a cache written by one process and read by the next.
IN_PROCESSES = (
    ["report", "--format", "json"],
    ["report"],
    ["check"],
    ["pledges", "--format", "csv"],
)


def _process(args: list[str], root: Path, plain: bool, cache: Path) -> tuple[int, bytes, bytes]:
    env = {k: v for k, v in os.environ.items() if k != PLAIN}
    env |= {"XDG_CACHE_HOME": str(cache), "SOURCE_DATE_EPOCH": "1700000000"}
    if plain:
        env[PLAIN] = "1"
    done = subprocess.run(
        [sys.executable, "-m", "wsis_ledger", *args, "--data", str(root)],
        env=env, capture_output=True, timeout=120, check=False,
    )  # fmt: skip
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize("args", IN_PROCESSES, ids=" ".join)
def test_plain_and_fast_give_the_same_bytes_in_separate_processes(
    args: list[str], ledgers: dict[str, Path], tmp_path: Path
) -> None:
    root = ledgers["lived"]
    plain = _process(args, root, True, tmp_path / "cache")
    assert plain[0] in (0, 1, 3) and plain[1], plain[2].decode()
    assert _process(args, root, False, tmp_path / "cache") == plain
    assert _process(args, root, False, tmp_path / "cache") == plain


# --- writes ---------------------------------------------------------------------

#: An import of good rows (in several currencies, to a new donor) and one of rows with
#: problems: each refused row says why.
IMPORTS = {
    "good": "type,donor,amount,currency,chf,rate,date,purpose,reference\n"
    + "".join(
        f"receipt,sweden,{n + 1}000,CHF,,,2003-01-{n % 28 + 1:02},,S-{n}\n" for n in range(60)
    )
    + "receipt,Fondation Nouvelle,2500,EUR,,1.46,2003-02-03,,N-1\n"
    + "pledge,japan,10000,USD,,1.39,2003-02-04,,J-1\n",
    "bad": "type,donor,amount,currency,chf,rate,date,purpose,reference\n"
    "receipt,sweden,1.001,CHF,,,2003-01-10,,B-1\n"
    "gift,sweden,5,CHF,,,2003-01-10,,B-2\n"
    "receipt,sweden,-5,CHF,,,2003-01-10,,B-3\n"
    "receipt,sweden,5,EUR,,,2003-01-10,,B-4\n"
    "receipt,nobody,5,CHF,,,2004-13-01,,B-5\n",
}


def _files(root: Path) -> dict[str, bytes]:
    """Each file's bytes, its `recorded_at` (the second it was written) left out."""
    return {
        str(p.relative_to(root)): re.sub(
            rb'(?m)^recorded_at: "[^"]*"$', b"recorded_at: -", p.read_bytes()
        )
        for p in sorted(root.rglob("*.yaml"))
    }


def test_writes_give_the_same_files_and_answers_with_and_without_the_switch(
    tmp_path: Path,
) -> None:
    """The writes that made the lived-in ledger, then the imports, with `WSIS_LEDGER_PLAIN=1`
    and without it: the same answers, and the same files, byte for byte."""
    sources = {}
    for name, text in IMPORTS.items():
        sources[name] = tmp_path / f"{name}.csv"
        sources[name].write_text(text, encoding="utf-8")
    outcomes = []
    for plain in (True, False):
        root = tmp_path / ("plain" if plain else "fast")
        shutil.copytree(shipped_ledger(), root)
        answers = []
        env = {PLAIN: "1" if plain else None, "XDG_CACHE_HOME": str(tmp_path / "cache")}
        for args in (
            *WRITES,
            ["import", str(sources["good"]), "--add-donors", "--verbose"],
            ["import", str(sources["bad"]), "--verbose"],
        ):
            result = CliRunner(env=env).invoke(cli, [*args, "--data", str(root)])
            # The two folders' names told apart by nothing else.
            said = (
                result.stdout.replace(str(root), "ROOT"),
                result.stderr.replace(str(root), "ROOT"),
            )
            answers.append((result.exit_code, *said))
        outcomes.append((answers, _files(root)))
    assert outcomes[0] == outcomes[1]
    answers = outcomes[0][0]
    assert [code for code, _, _ in answers] == [0] * (len(WRITES) + 1) + [1]

"""A file name whose bytes are not UTF-8 (Python holds them as `\\udc80`-`\\udcff`):
shown as `\\xNN` by the one visible-text rule wherever a path is shown, in every
format, to a terminal or to a file; JSON stays valid UTF-8; never a traceback."""

from __future__ import annotations

import json
import os
import random
import re
from pathlib import Path

from click.testing import CliRunner

from wsis_ledger.commands.main import cli
from wsis_ledger.core.visible import UNSAFE_BUT_LINES, json_safe, visible


def names(count: int) -> list[bytes]:
    rng = random.Random(0x9B)
    made = [b"a\x9b2J", b"\x9b", b"\xff\xfe", b"\xc3", b"x\x80y", b"\xe2\x80", b"\xed\xa0\x80"]
    while len(made) < count:
        made.append(
            bytes(rng.choice([*range(0x80, 0x100), *b"abc.-_"]) for _ in range(rng.randrange(1, 6)))
        )
    return made


def test_visible_shows_each_undecodable_byte() -> None:
    for raw in names(300):
        text = os.fsdecode(raw)
        shown = visible(text)
        shown.encode("utf-8")  # no surrogate is left
        assert UNSAFE_BUT_LINES.search(shown) is None
        document = json_safe(json.dumps({"path": text}, ensure_ascii=False))
        # JSON reads back as the text, each undecodable byte as it is shown
        as_shown = re.sub("[\udc80-\udcff]", lambda m: f"\\x{ord(m.group()) - 0xDC00:02X}", text)
        assert json.loads(document.encode("utf-8"))["path"] == as_shown


def test_check_never_prints_a_raw_byte_nor_fails(tmp_path: Path) -> None:
    runner = CliRunner()
    ledger = tmp_path / "L"
    assert runner.invoke(cli, ["init", str(ledger), "--name", "X"]).exit_code == 0
    bad = [name for name in names(40) if b"/" not in name]
    for name in bad:
        (os.fsencode(ledger) + b"/" + name + b".yaml")
        with open(os.fsencode(ledger) + b"/" + name + b".yaml", "wb") as file:
            file.write(b"zzz: 1\n")
    for fmt in ["table", "text", "json", "github"]:
        result = runner.invoke(cli, ["check", "--no-cache", "--data", str(ledger), "--format", fmt])
        assert result.exit_code == 1 and not isinstance(result.exception, UnicodeError), result
        shown = result.stdout_bytes.decode("utf-8") + result.stderr_bytes.decode("utf-8")
        assert UNSAFE_BUT_LINES.search(shown) is None, shown
        assert "\\x" in shown
        out = tmp_path / f"o.{fmt}"
        result = runner.invoke(
            cli, ["check", "--no-cache", "--data", str(ledger), "--format", fmt, "-o", str(out)]
        )
        assert result.exit_code == 1 and not isinstance(result.exception, UnicodeError), result
        written = out.read_bytes().decode("utf-8")
        assert UNSAFE_BUT_LINES.search(written) is None
        if fmt == "json":
            json.loads(written)


def test_import_of_a_file_named_with_undecodable_bytes(tmp_path: Path) -> None:
    runner = CliRunner()
    ledger = tmp_path / "L"
    assert runner.invoke(cli, ["init", str(ledger), "--name", "X"]).exit_code == 0
    for number, name in enumerate(names(12)):
        path = os.fsencode(tmp_path) + b"/" + name + b".csv"
        with open(path, "wb") as file:
            file.write(
                f"type,donor,amount,currency,date\npledge,d{number},10,CHF,2005-01-02\n".encode()
            )
        for extra in (["--dry-run"], []):
            result = runner.invoke(
                cli, ["import", "--data", str(ledger), "--add-donors", *extra, os.fsdecode(path)]
            )
            assert result.exit_code in (0, 1), result.output
            assert not isinstance(result.exception, UnicodeError), result
            shown = result.stdout_bytes.decode("utf-8") + result.stderr_bytes.decode("utf-8")
            assert UNSAFE_BUT_LINES.search(shown) is None, shown
    assert runner.invoke(cli, ["check", "--no-cache", "--data", str(ledger)]).exit_code == 0

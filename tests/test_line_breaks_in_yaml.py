"""NEL (U+0085) and the Unicode line separators, which YAML reads as line breaks:
never written raw by the tool, refused raw in a ledger file, and every C1 control
refused in text, through every way text comes in (a command's option, a file)."""

from __future__ import annotations

import random
from pathlib import Path

from click.testing import CliRunner

from wsis_ledger.commands.main import cli
from wsis_ledger.core.fields import FORBIDDEN_IN_TEXT
from wsis_ledger.source.yamlsource import parse_document
from wsis_ledger.write.yaml_text import scalar

C1 = [chr(code) for code in range(0x80, 0xA0)]
BREAKS = ["\x85", "\u2028", "\u2029"]


def texts() -> list[str]:
    rng = random.Random(85)
    made = []
    for char in [*C1, "\x7f", *BREAKS]:
        for _ in range(4):
            before = "".join(rng.choice("Fund :-#x") for _ in range(rng.randrange(0, 5)))
            after = "".join(rng.choice("::error::x #") for _ in range(rng.randrange(0, 5)))
            made.append(f"{before}{char}{after}")
    return made


def test_every_c1_control_is_forbidden_in_text() -> None:
    for char in [*C1, "\x7f", *BREAKS]:
        assert FORBIDDEN_IN_TEXT.search(f"a{char}b"), hex(ord(char))


def test_a_written_scalar_reads_back_exactly() -> None:
    for text in texts():
        document, problems = parse_document(Path("x.yaml"), f"value: {scalar(text)}\n")
        assert problems == [] and document is not None, (text, problems)
        assert document.data["value"] == text, text


def test_a_raw_line_break_of_yaml_is_refused_in_a_ledger_file() -> None:
    rng = random.Random(2028)
    for char in BREAKS:
        for shape in ['d: "x{c}y"\n', "d: 'x{c}y'\n", "# note{c}evil: 1\nd: 1\n", "d: x{c}y\n"]:
            for _ in range(10):
                pad = "#" + "".join(rng.choice("ab ") for _ in range(rng.randrange(0, 8))) + "\n"
                text = pad + shape.format(c=char)
                document, problems = parse_document(Path("x.yaml"), text)
                assert document is None, repr(text)
                assert [problem.code for problem in problems] == ["yaml-character"], problems
                assert problems[0].where.line == 2, problems


def test_init_refuses_a_name_with_a_c1_control(tmp_path: Path) -> None:
    runner = CliRunner()
    for number, name in enumerate(texts()[::5]):
        folder = tmp_path / f"f{number}"
        result = runner.invoke(cli, ["init", str(folder), "--name", f"Fund{name}"])
        assert result.exit_code == 1, (name, result.output)
        assert not folder.exists() or not any(folder.iterdir()), name

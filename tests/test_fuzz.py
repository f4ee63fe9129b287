"""Property: whatever happens to the ledger's bytes, `check` answers in words.

The shipped data files are mutated at random (lines deleted, duplicated or
swapped; characters deleted or inserted, junk and bytes that are not UTF-8
among them; digits changed). Every run of `check` must end with exit 0, or
exit 1 with `path:line` problems: never a traceback, never a hang.

CI runs 500 examples; a longer run: WSIS_FUZZ_EXAMPLES=20000 pytest tests/test_fuzz.py
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wsis_ledger.commands.main import cli
from wsis_ledger.source.discovery import shipped_ledger

EXAMPLES = int(os.environ.get("WSIS_FUZZ_EXAMPLES", "500"))
SHIPPED = shipped_ledger()
FILES = sorted(p.relative_to(SHIPPED) for p in SHIPPED.rglob("*.yaml"))
JUNK = [
    b":",
    b"-",
    b" ",
    b"  ",
    b"\t",
    b"\n",
    b'"',
    b"'",
    b"&a ",
    b"*a",
    b"!!python/object:os.system ",
    b"!x ",
    b"[",
    b"]",
    b"{",
    b"}",
    b"#",
    b"~",
    b"1e6",
    b".nan",
    b"-1",
    b"0",
    b"2002-02-30",
    b"\xff",
    b"\xe9",
    b"\x00",
    b"\xef\xbb\xbf",
    b"\r",
    b"ammount: 1\n",
    b"---\n",
    b"<<: *a\n",
    "日本".encode(),
    b"9" * 40,
    b"0.1234567890123456789012345678901234567890",
]
PROBLEM_LINE = re.compile(r"^[^\n:]+(?::\d+(?::\d+)?)?: \S.*$")


@st.composite
def mutations(draw: st.DrawFn) -> tuple[Path, bytes]:
    """One shipped file, changed by one to four random edits."""
    name = draw(st.sampled_from(FILES))
    data = (SHIPPED / name).read_bytes()
    for _ in range(draw(st.integers(1, 4))):
        lines = data.split(b"\n")
        kind = draw(
            st.sampled_from(["del-line", "dup-line", "swap-lines", "del-char", "insert", "digit"])
        )
        i = draw(st.integers(0, max(len(lines) - 1, 0)))
        j = draw(st.integers(0, max(len(lines) - 1, 0)))
        at = draw(st.integers(0, len(data)))
        if kind == "del-line" and lines:
            del lines[i]
            data = b"\n".join(lines)
        elif kind == "dup-line" and lines:
            lines.insert(i, lines[i])
            data = b"\n".join(lines)
        elif kind == "swap-lines" and lines:
            lines[i], lines[j] = lines[j], lines[i]
            data = b"\n".join(lines)
        elif kind == "del-char":
            data = data[:at] + data[at + 1 :]
        elif kind == "insert":
            data = data[:at] + draw(st.sampled_from(JUNK)) + data[at:]
        else:
            digits = [m.start() for m in re.finditer(rb"[0-9]", data)]
            if digits:
                k = draw(st.sampled_from(digits))
                data = data[:k] + str(draw(st.integers(0, 9))).encode() + data[k + 1 :]
    return name, data


@settings(
    max_examples=EXAMPLES,
    deadline=5000,  # milliseconds: a run that takes this long has hung in all but name
    suppress_health_check=[HealthCheck.too_slow],
)
@given(mutation=mutations(), as_json=st.booleans())
def test_check_never_crashes_on_mutated_data(mutation: tuple[Path, bytes], as_json: bool) -> None:
    name, data = mutation
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "ledger"
        shutil.copytree(SHIPPED, root)
        (root / name).write_bytes(data)
        args = ["check", "--data", str(root)] + (["--format", "json"] if as_json else [])
        result = CliRunner().invoke(cli, args, catch_exceptions=False)
    # 1: the records are wrong; 3: valid, a printed total differs (a digit changed).
    assert result.exit_code in (0, 1, 3), result.output
    assert "Traceback" not in result.output
    if result.exit_code in (1, 3) and not as_json:
        *lines, summary = result.output.splitlines()
        assert lines, result.output
        assert summary.endswith(".") and "problem" in summary
        for line in lines:
            assert PROBLEM_LINE.match(line), line


EXAMPLE_CSV = Path(__file__).resolve().parent.parent / "examples" / "contributions.csv"
CSV_JUNK = [
    "",
    ",",
    '"',
    "\n",
    "\r\n",
    "-1",
    "1e6",
    "0",
    "JPY",
    "XYZ",
    "2005-02-30",
    "receipt",
    "pledge",
    "=SUM(A1)",
    "\x00",
    "日本",
    "9" * 30,
    "1.234",
    "core//x",
    "Japon",
]


@settings(
    max_examples=max(EXAMPLES // 2, 50), deadline=5000, suppress_health_check=[HealthCheck.too_slow]
)
@given(data=st.data())
def test_import_never_crashes_on_mangled_csv(data: st.DataObject) -> None:
    text = EXAMPLE_CSV.read_text(encoding="utf-8")
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.integers(0, 5))
        text = text[:at] + data.draw(st.sampled_from(CSV_JUNK)) + text[at + cut :]
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "ledger"
        shutil.copytree(SHIPPED, root)
        source = Path(scratch) / "rows.csv"
        source.write_text(text, encoding="utf-8")
        result = CliRunner().invoke(
            cli,
            ["import", "--data", str(root), str(source), "--add-donors"],
            catch_exceptions=False,
        )
        assert result.exit_code in (0, 1, 2), result.output
        assert "Traceback" not in result.output
        if result.exit_code == 0:  # whatever was added, the ledger still passes check
            check = CliRunner().invoke(cli, ["check", "--no-cache", "--data", str(root)])
            assert check.exit_code == 0, check.output

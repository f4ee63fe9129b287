"""Bad input never hurts: each malformed ledger gets `path:line:col: message`, exit 1."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest
from conftest import Run

LEDGER = """\
fund:
  id: test
  name: Test fund
"""
DONORS = """\
donors:
  - {id: japan, name: Government of Japan, kind: government}
  - {id: sweden, name: Government of Sweden, kind: government}
"""


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """A tiny valid ledger: a fund and two donors."""
    root = tmp_path / "small"
    root.mkdir()
    (root / "ledger.yaml").write_text(LEDGER)
    (root / "donors.yaml").write_text(DONORS)
    return root


def write(root: Path, text: str, name: str = "entries.yaml") -> Path:
    path = root / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def col(line: str, token: str) -> int:
    """The 1-based column where `token` starts in `line`."""
    return line.index(token) + 1


def problems(run: Run, root: Path) -> list[str]:
    """The problem lines `check` prints, after asserting it exits 1 without a traceback."""
    result = run("check", "--data", root)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.output.splitlines()
    assert lines[-1].endswith(".") and "problem" in lines[-1]
    return lines[:-1]


def one_problem(run: Run, root: Path) -> str:
    [line] = problems(run, root)
    return line


def test_the_small_ledger_is_valid(run: Run, small: Path) -> None:
    assert run("check", "--data", small).exit_code == 0


# --- YAML that does not parse, or is no text -------------------------------


def test_bad_indentation(run: Run, small: Path) -> None:
    write(small, "received:\n  - id: a\n    donor: japan\n   chf: 10\n")
    assert one_problem(run, small).startswith("small/entries.yaml:4:4: the YAML cannot be read")


def test_unclosed_quote(run: Run, small: Path) -> None:
    write(small, 'received:\n  - id: "a\n    donor: japan\n')
    line = one_problem(run, small)
    assert line.startswith("small/entries.yaml:4:1: the YAML cannot be read: found unexpected end")
    assert "a quote is not closed" in line


def test_tab_characters(run: Run, small: Path) -> None:
    write(small, "received:\n\t- id: a\n")
    assert one_problem(run, small) == (
        "small/entries.yaml:2:1: a tab character: YAML indents with spaces only"
    )


@pytest.mark.parametrize("text", ["", "# only a comment\n", "\n\n"])
def test_empty_file(run: Run, small: Path, text: str) -> None:
    write(small, text)
    assert one_problem(run, small) == (
        "small/entries.yaml:1: the file holds no data (it is empty or only comments)"
    )


def test_byte_order_mark_is_accepted(run: Run, small: Path) -> None:
    (small / "entries.yaml").write_bytes(
        b"\xef\xbb\xbfreceived:\n  - {id: a, donor: japan, chf: 10}\n"
    )
    assert run("check", "--data", small).exit_code == 0


def test_bytes_that_are_not_utf8(run: Run, small: Path) -> None:
    (small / "entries.yaml").write_bytes(b"received:\n  - {id: a, donor: Jap\xe9n, chf: 10}\n")
    assert one_problem(run, small) == (
        "small/entries.yaml:2:23: the file is not UTF-8 text: byte 0xe9 at byte offset 32 "
        "cannot be read (save the file as UTF-8)"
    )


def test_a_folder_named_like_a_file(run: Run, small: Path) -> None:
    (small / "odd.yaml").mkdir()
    assert one_problem(run, small) == "small/odd.yaml: this is not a regular file"


def test_a_fifo_is_refused_without_hanging(run: Run, small: Path) -> None:
    os.mkfifo(small / "pipe.yaml")
    assert one_problem(run, small) == "small/pipe.yaml: this is not a regular file"


def test_a_file_that_cannot_be_read(run: Run, small: Path) -> None:
    (small / "gone.yaml").symlink_to(small / "nowhere.yaml")
    assert one_problem(run, small) == (
        "small/gone.yaml: the file cannot be read: No such file or directory"
    )


def test_a_file_that_is_not_a_mapping(run: Run, small: Path) -> None:
    write(small, "- id: a\n")
    assert one_problem(run, small).startswith(
        "small/entries.yaml:1:1: a ledger file is a mapping of sections"
    )


def test_an_unknown_section(run: Run, small: Path) -> None:
    write(small, "recieved:\n  - {id: a, donor: japan, chf: 10}\n")
    assert one_problem(run, small) == (
        "small/entries.yaml:1:1: unknown section 'recieved'; did you mean 'received'?"
    )


def test_a_section_that_is_not_a_list(run: Run, small: Path) -> None:
    write(small, "received: 12\n")
    assert one_problem(run, small) == (
        "small/entries.yaml:1:11: 'received' is a list (each item starts with '- '), not '12'"
    )


def test_a_missing_fund(run: Run, small: Path) -> None:
    (small / "ledger.yaml").write_text("donors: []\n")
    assert one_problem(run, small) == (
        "small/ledger.yaml: the ledger has no fund: ledger.yaml needs a 'fund:' mapping"
    )


# --- keys and fields ---------------------------------------------------------


def test_the_same_key_twice_names_both_lines(run: Run, small: Path) -> None:
    write(small, "received:\n  - id: a\n    donor: japan\n    chf: 10\n    chf: 20\n")
    assert one_problem(run, small) == (
        "small/entries.yaml:5:5: the key 'chf' is given twice in this mapping "
        "(first on line 4); keep one of them"
    )


def test_an_unknown_field_suggests_the_known_one(run: Run, small: Path) -> None:
    write(small, "received:\n  - id: a\n    donor: japan\n    ammount: 10\n    currency: CHF\n")
    assert problems(run, small)[0] == (
        "small/entries.yaml:4:5: unknown field 'ammount'; did you mean 'amount'?"
    )


def test_a_missing_required_field(run: Run, small: Path) -> None:
    write(small, "received:\n  - id: a\n    chf: 10\n")
    assert one_problem(run, small) == "small/entries.yaml:2:5: the field 'donor' is missing"


def test_a_value_of_the_wrong_type(run: Run, small: Path) -> None:
    write(small, "received:\n  - id: a\n    donor: [japan, sweden]\n    chf: 10\n")
    assert one_problem(run, small) == (
        "small/entries.yaml:3:12: donor: expected text, found a list"
    )


# --- numbers that are not money ---------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (".nan", "the amount '.nan' is not a plain number (not-a-number and infinity are not amounts)"),
        (".inf", "the amount '.inf' is not a plain number (not-a-number and infinity are not amounts)"),
        ("1e6", "the amount '1e6' is not a plain number (write it out in full, without exponent notation)"),
        ("7.96835e5", "the amount '7.96835e5' is not a plain number (write it out in full, without exponent notation)"),
        ("-10", "the amount '-10' is not a plain number (amounts are positive; record a repayment or a cancellation instead)"),
        ("0", "the amount must be more than zero"),
        ("0.00", "the amount must be more than zero"),
        ("2 243 419", "the amount '2 243 419' is not a plain number (write it without thousands separators: 2243419, not 2 243 419)"),
        ("796835.000000000001", "CHF amounts have at most 2 decimals; 796835.000000000001 has 12"),
        ("ten", "the amount 'ten' is not a plain number (digits with an optional decimal point)"),
    ],
)  # fmt: skip
def test_numbers_that_are_not_money(run: Run, small: Path, value: str, message: str) -> None:
    write(small, f"received:\n  - id: a\n    donor: japan\n    chf: {value}\n")
    assert one_problem(run, small) == f"small/entries.yaml:4:10: chf: {message}"


def test_more_decimals_than_the_currency_has(run: Run, small: Path) -> None:
    entry = "  - {id: a, donor: japan, currency: JPY, amount: 100.5, rate: 0.01}"
    write(small, f"received:\n{entry}\n")
    assert one_problem(run, small) == (
        f"small/entries.yaml:2:{col(entry, '100.5')}: amount: JPY amounts have no decimals; "
        "100.5 has 1"
    )


def test_an_amount_keeps_its_exact_text(run: Run, small: Path) -> None:
    write(small, "received:\n  - {id: a, donor: japan, currency: USD, amount: 12.30, rate: 1.5}\n")
    result = run("report", "--data", small, "--format", "json")
    assert '"amount": "12.30"' in result.output
    assert '"chf": "18"' in result.output  # 18.45, half-up to whole francs


# --- currencies and rates ----------------------------------------------------


def test_an_unknown_currency(run: Run, small: Path) -> None:
    entry = "  - {id: a, donor: japan, currency: XYZ, amount: 10, chf: 10}"
    write(small, f"received:\n{entry}\n")
    assert one_problem(run, small) == (
        f"small/entries.yaml:2:{col(entry, 'XYZ')}: currency: 'XYZ' is not an ISO 4217 "
        "currency code"
    )


def test_a_lower_case_currency(run: Run, small: Path) -> None:
    write(small, "received:\n  - {id: a, donor: japan, currency: usd, amount: 10, chf: 10}\n")
    assert one_problem(run, small).endswith(
        "currency: 'usd' is not an ISO 4217 currency code (codes are upper case)"
    )


def test_a_foreign_amount_with_no_rate(run: Run, small: Path) -> None:
    entry = "  - {id: a, donor: japan, currency: USD, amount: 10}"
    write(small, f"received:\n{entry}\n")
    assert one_problem(run, small) == (
        f"small/entries.yaml:2:{col(entry, '10}')}: an amount in USD needs a 'rate' "
        "(CHF per USD) or the booked 'chf'; the rates table has none for it"
    )


@pytest.mark.parametrize(
    ("rate", "message"),
    [
        ("0", "the rate must be more than zero"),
        ("-1.5", "the rate '-1.5' is not a plain number (a rate is positive)"),
    ],
)
def test_a_rate_of_zero_or_below(run: Run, small: Path, rate: str, message: str) -> None:
    entry = f"  - {{id: a, donor: japan, currency: USD, amount: 10, rate: {rate}}}"
    write(small, f"received:\n{entry}\n")
    column = col(entry, f"rate: {rate}") + len("rate: ")
    assert one_problem(run, small) == f"small/entries.yaml:2:{column}: rate: {message}"


def test_a_booked_amount_that_disagrees_with_its_rate(run: Run, small: Path) -> None:
    entry = "  - {id: a, donor: japan, currency: USD, amount: 10, rate: 1.5, chf: 16}"
    write(small, f"received:\n{entry}\n")
    assert one_problem(run, small) == (
        f"small/entries.yaml:2:{col(entry, '16')}: chf: the booked 16 CHF disagrees with 10 USD × 1.5 = 15.0 CHF "
        "(a difference of 1.0 CHF; rounding explains at most 0.5)"
    )


def test_a_booked_amount_finer_than_the_booking_unit(run: Run, small: Path) -> None:
    entry = "  - {id: a, donor: japan, chf: 10.50}"
    write(small, f"received:\n{entry}\n")
    assert one_problem(run, small) == (
        f"small/entries.yaml:2:{col(entry, '10.50')}: chf: the fund books multiples of 1 CHF; 10.50 is not one "
        "(round it half-up)"
    )


# --- dates -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2002-02-30", "date: 2002-02-30 is not a real date (day is out of range for month)"),
        ("1850-01-01", "date: 1850-01-01 is outside the years 1900 to 2100"),
        ("3002-01-01", "date: 3002-01-01 is outside the years 1900 to 2100"),
        ("20 December 2002", "date: '20 December 2002' is not a date written as YYYY-MM-DD"),
    ],
)
def test_impossible_dates(run: Run, small: Path, value: str, message: str) -> None:
    write(small, f"received:\n  - id: a\n    donor: japan\n    chf: 10\n    date: {value}\n")
    assert one_problem(run, small) == f"small/entries.yaml:5:11: {message}"


# --- references and ids ------------------------------------------------------


BAD_DONOR = "  - {id: a, donor: japon, chf: 10}"
BAD_DONOR_PROBLEM = (
    f"small/entries.yaml:2:{col(BAD_DONOR, 'japon')}: donor: there is no donor 'japon'"
)


def test_a_donor_that_does_not_exist(run: Run, small: Path) -> None:
    write(small, f"received:\n{BAD_DONOR}\n")
    assert one_problem(run, small) == BAD_DONOR_PROBLEM


def test_two_records_with_one_id(run: Run, small: Path) -> None:
    pledge = "  - {id: a, donor: japan, chf: 5}"
    write(small, f"received:\n  - {{id: a, donor: japan, chf: 10}}\npledged:\n{pledge}\n")
    assert one_problem(run, small) == (
        f"small/entries.yaml:4:{col(pledge, 'a,')}: the entry id 'a' is used twice (first at entries.yaml:2)"
    )


def test_a_donor_listed_twice(run: Run, small: Path) -> None:
    write(
        small,
        "donors:\n  - {id: japan2, name: government of japan, kind: government}\n",
        "more.yaml",
    )
    assert one_problem(run, small) == (
        "small/more.yaml:2:24: the donor 'japan2' has the name or alias 'government of japan' of "
        "the donor 'japan' (line 2); list each donor once"
    )


# --- YAML that would run code or explode --------------------------------------


def test_python_tags_are_refused_and_never_run(run: Run, small: Path, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    write(small, f"received: !!python/object/apply:os.system ['touch {marker}']\n")
    line = one_problem(run, small)
    assert line.startswith(
        "small/entries.yaml:1:11: the tag 'tag:yaml.org,2002:python/object/apply"
    )
    assert not marker.exists()


def test_custom_tags_are_refused(run: Run, small: Path) -> None:
    write(small, "received:\n  - {id: !custom a, donor: japan, chf: 10}\n")
    assert "the tag '!custom' is not allowed" in one_problem(run, small)


def test_aliases_are_refused_so_nothing_expands(run: Run, small: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in "bcdefghi":
        previous = chr(ord(n) - 1)
        lines.append(f"{n}: &{n} [" + ",".join([f"*{previous}"] * 9) + "]")
    write(small, "\n".join(lines) + "\n")
    found = problems(run, small)
    assert found[0] == (
        "small/entries.yaml:2:8: anchors and aliases (&name, *name) are not allowed; "
        "write the value out in full"
    )
    assert len(found) < 200  # one per alias written, never one per expansion


def test_deep_nesting_is_refused(run: Run, small: Path) -> None:
    write(small, "received: " + "[" * 5000 + "]" * 5000 + "\n")
    assert "nested more than 32 levels deep" in one_problem(run, small)


def test_an_absurdly_large_file_is_refused_unread(
    run: Run, small: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wsis_ledger.source import snapshot, yamlsource

    monkeypatch.setattr(snapshot, "MAX_FILE_BYTES", 1000)
    monkeypatch.setattr(yamlsource, "MAX_FILE_BYTES", 1000)
    size = write(small, "received:\n" + "  - {id: a, donor: japan, chf: 10}\n" * 100).stat().st_size
    assert one_problem(run, small) == (
        f"small/entries.yaml: the file is {size:,} bytes, more than the 1,000 a ledger file may "
        "have; split it into several files"
    )


# --- every command that loads the ledger reports the same ----------------------


@pytest.mark.parametrize(
    "command", [["report"], ["report", "--format", "json"], ["convert", "1", "USD", "--rate", "1"]]
)
def test_other_commands_refuse_a_bad_ledger(run: Run, small: Path, command: list[str]) -> None:
    write(small, f"received:\n{BAD_DONOR}\n")
    result = run(*command, "--data", small)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert BAD_DONOR_PROBLEM in result.stderr


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "chf",
            "9" * 30,
            f"chf: the amount {'9' * 30} is too large (at most 15 digits before the point)",
        ),
        ("rate", "0." + "1" * 40, "rate: the rate 0." + "1" * 40 + " has more than 30 digits"),
    ],
)
def test_numbers_too_large_to_be_money(
    run: Run, small: Path, field: str, value: str, message: str
) -> None:
    write(
        small,
        f"received:\n  - id: a\n    donor: japan\n    currency: USD\n    amount: 10\n    {field}: {value}\n",
    )
    line = one_problem(run, small)
    assert line.endswith(message), line

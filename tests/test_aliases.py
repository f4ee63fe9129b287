"""Donor aliases in any script and language, accents, case and punctuation ignored;
a close spelling is suggested only when one donor is close, with the alias line to add."""

from __future__ import annotations

from pathlib import Path

from conftest import Run, edit

from wsis_ledger.core.fields import match_key


def test_match_keys_ignore_accents_case_width_and_punctuation() -> None:
    assert match_key("Suède") == match_key("SUEDE") == match_key("suede")
    assert match_key("Burkina-Faso") == match_key("Burkina Faso")
    assert match_key("Ｂａｋｏｍ") == "bakom"
    assert match_key("瑞士开发与合作机构（瑞士）") == "瑞士开发与合作机构 瑞士"
    assert match_key("ガス") != match_key("カス")  # a voicing mark is no accent


def rows(tmp_path: Path, *donors: str) -> Path:
    sheet = tmp_path / "rows.csv"
    lines = ["type,donor,amount,currency,chf,rate,date,purpose,reference"]
    lines += [f"receipt,{d},100,CHF,,,2003-01-0{n},,R-{n}" for n, d in enumerate(donors, 1)]
    sheet.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return sheet


def test_aliases_in_any_script_and_language_find_the_donor(
    run: Run, ledger_dir: Path, tmp_path: Path
) -> None:
    edit(
        ledger_dir / "donors.yaml",
        r"^    name: \{en: Government of Sweden, zh: 瑞典政府\}$",
        "    name: {en: Government of Sweden, zh: 瑞典政府}\n    aliases: [Suède, Швеция]",
    )
    sheet = rows(tmp_path, "SUEDE", "suède", "Швеция", "瑞典政府", "government of  sweden")
    done = run("import", sheet, "--data", ledger_dir)
    assert done.exit_code == 0, done.output
    document = run("donor", "sweden", "--format", "json", "--data", ledger_dir).stdout
    assert document.count('"kind": "received"') == 1 + 5


def test_a_close_spelling_is_suggested_with_the_alias_line_never_taken(
    run: Run, ledger_dir: Path, tmp_path: Path
) -> None:
    refused = run("import", rows(tmp_path, "Governement of Finland"), "--data", ledger_dir)
    assert refused.exit_code == 1
    assert (
        "unknown donor 'Governement of Finland'; did you mean 'finland' (Government of "
        'Finland)? To make it certain, add aliases: ["Governement of Finland"] to donor '
        "'finland'"
    ) in refused.output


def test_a_name_close_to_two_donors_suggests_neither(
    run: Run, ledger_dir: Path, tmp_path: Path
) -> None:
    # "Government of Spaim" is as close to Spain as "Government of Spai" would be to two
    # donors: make two donors close to one name.
    edit(
        ledger_dir / "donors.yaml",
        r"^    name: \{en: Government of Malta, zh: 马耳他政府\}$",
        "    name: {en: Government of Malta, zh: 马耳他政府}\n    aliases: [Gouvernement M]",
    )
    edit(
        ledger_dir / "donors.yaml",
        r"^    name: \{en: Government of Spain, zh: 西班牙政府\}$",
        "    name: {en: Government of Spain, zh: 西班牙政府}\n    aliases: [Gouvernement S]",
    )
    refused = run("import", rows(tmp_path, "Gouvernement X"), "--data", ledger_dir)
    assert refused.exit_code == 1
    assert "close to more than one donor (malta, spain): none is suggested" in refused.output
    assert "did you mean" not in refused.output

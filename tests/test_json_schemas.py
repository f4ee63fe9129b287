"""Every command that prints JSON has a published schema (docs/schema/), made by the code
that makes the JSON; every command's JSON, on the shipped annex and the example fund,
is valid against it; the committed files are current; docs/interfaces.md lists them."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import click
import jsonschema
import pytest
from conftest import Run

from wsis_ledger.commands import schemas
from wsis_ledger.commands.main import cli
from wsis_ledger.core.json_schema import SCHEMA_VERSION
from wsis_ledger.source.discovery import shipped_ledger

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
FUND = str(EXAMPLES / "fund")

#: Each command's JSON, asked of the shipped annex (no --data) and of the example fund.
INVOCATIONS: dict[str, list[list[str]]] = {
    "report": [[], ["--lang", "zh"], ["--as-of", "2002-06-30"], ["--data", FUND]],
    "accounts": [["--year", "2002"], ["--year", "2024", "--data", FUND]],
    "check": [[], ["--strict"], ["--data", FUND]],
    "convert": [
        ["500", "USD", "--rate", "1.5"],
        ["100000", "EUR", "--entry", "r11"],
        ["1000", "CHF", "--rate", "1", "--data", FUND],
    ],
    "import": [
        [str(EXAMPLES / "contributions.csv"), "--add-donors", "--dry-run", "--data", "COPY"],
    ],
    "pledges": [[], ["--outstanding"], ["--revalue", "2003-06-30"], ["--data", FUND]],
    "loan status": [[], ["--data", FUND]],
    "rates list": [[], ["--data", FUND]],
    "rates check": [[], ["--data", FUND]],
    "donor": [["sdc"], ["Government of Japan", "--lang", "zh"], ["alpha", "--data", FUND]],
    "budget": [[], ["--data", FUND], ["--phase", "phase-1", "--data", FUND]],
    "statements": [[], ["--data", FUND]],
    "log": [[], ["--data", FUND]],
    "reconcile": [
        ["annex-2002-12-20", "liste-2004", "--with", str(EXAMPLES / "liste-2004")],
    ],
    "rates fetch": [
        ["EUR", "--date", "2003-02-14", "--source", "ecb-offline"],
        ["EUR", "--date", "2003-02-14", "--source", "ecb-offline", "--record", "--data", "COPY"],
    ],
    # The writes (on a copy of the annex, or of the example fund): a dry run, and a write.
    "init": [
        ["NEW", "--name", "X", "--as-of", "2005-01-01", "--dry-run"],
        ["NEW", "--copy-of", "shipped"],
    ],
    "receive": [
        ["p05", "--amount", "1", "--date", "2003-06-01", "--data", "COPY", "--dry-run"],
        ["p05", "--amount", "1", "--date", "2003-06-01", "--data", "COPY"],
    ],
    "spend": [["100", "--date", "2024-05-02", "--description", "x", "--data", "FUND"]],
    "cancel": [["p02", "--date", "2004-03-31", "--note", "x", "--data", "COPY"]],
    "reassign": [["r12", "--purpose", "core/fellowships", "--note", "x", "--data", "COPY"]],
    "loan draw": [["250000", "--date", "2003-01-15", "--use", "x", "--data", "COPY"]],
    "loan repay": [["1000", "--date", "2024-06-30", "--data", "FUND"]],
    "loan facility add": [["bridge", "--lender", "sdc", "--ceiling", "1000", "--data", "COPY"]],
    "statement add": [
        [
            "pr",
            "--as-of",
            "2005-03-31",
            "--source",
            "x",
            "--stated-received",
            "2243419",
            "--data",
            "COPY",
        ]
    ],
    "statement acknowledge": [["pr", "--note", "x", "--data", "COPY"]],
    "close": [["--through", "2024-01-31", "--note", "x", "--data", "FUND"]],
    "reopen": [["--through", "2023-12-31", "--reason", "x", "--data", "FUND"]],
    "approve": [["exp-1", "--by", "Bea Keller", "--data", "FUND"]],
    "income": [["412.50", "--date", "2024-12-31", "--description", "Interest", "--data", "FUND"]],
    "refund": [["gamma", "5000", "--date", "2024-11-15", "--receipt", "r2", "--data", "FUND"]],
    "charge": [["35", "--date", "2024-03-01", "--description", "Fee", "--data", "FUND"]],
}
#: What a write's invocation presumes of its copy: run first, with the same copies.
PRELUDES: dict[str, list[list[str]]] = {
    "statement acknowledge": [
        [
            "statement",
            "add",
            "pr",
            "--as-of",
            "2005-03-31",
            "--source",
            "x",
            "--stated-received",
            "2243000",
            "--data",
            "COPY",
        ]
    ],
    "loan repay": [
        ["loan", "draw", "1000", "--date", "2024-06-01", "--use", "x", "--data", "FUND"]
    ],
    "approve": [
        ["loan", "draw", "200000", "--date", "2024-06-01", "--use", "x", "--data", "FUND"],
        ["spend", "150000", "--date", "2024-06-03", "--description", "x", "--data", "FUND"],
    ],
}


def json_commands(group: click.Group = cli, prefix: tuple[str, ...] = ()) -> list[str]:
    """Every command with a `--format` that offers json, as typed (`loan status`)."""
    found = []
    context = click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        assert command is not None
        if isinstance(command, click.Group):
            found += json_commands(command, (*prefix, name))
            continue
        for param in command.params:
            offered = param.type.choices if isinstance(param.type, click.Choice) else ()
            if "--format" in getattr(param, "opts", ()) and "json" in offered:
                found.append(" ".join((*prefix, name)))
    return found


def test_every_command_that_prints_json_has_a_schema_and_is_run_here() -> None:
    commands = json_commands()
    assert len(commands) >= 14
    assert set(commands) == set(schemas.SCHEMAS), "add the command's schema to commands/schemas.py"
    assert set(INVOCATIONS) == set(schemas.SCHEMAS)


@pytest.mark.parametrize("command", sorted(schemas.SCHEMAS))
def test_each_schema_is_a_valid_schema_and_strict(command: str) -> None:
    schema = schemas.SCHEMAS[command]()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["additionalProperties"] is False
    assert schema["properties"]["schema_version"] == {"const": SCHEMA_VERSION}
    assert next(iter(schema["properties"])) == "schema_version"


def test_the_committed_schemas_are_current() -> None:
    # The repository's docs/schema (an installed package, not editable, has none beside it).
    folder = ROOT / "docs" / "schema"
    stale = schemas.stale(folder)
    assert stale == [], "docs/schema is stale: python -m wsis_ledger.commands.schemas"
    committed = {p.name for p in folder.glob("*.schema.json")}
    made = {schemas.file_name(c) for c in schemas.SCHEMAS}
    assert committed == made | {"ledger-file.schema.json"}


def placed(args: list[str], tmp_path: Path) -> list[str]:
    """`args` with COPY and FUND made copies of the annex and the example fund (once for
    a test), and NEW a folder that is not there."""
    copies = {"COPY": shipped_ledger(), "FUND": EXAMPLES / "fund"}
    for name, source in copies.items():
        if name in args and not (tmp_path / name).exists():
            shutil.copytree(source, tmp_path / name)
    return [str(tmp_path / a) if a in (*copies, "NEW") else a for a in args]


def printed_json(run: Run, command: str, args: list[str], tmp_path: Path) -> dict[str, Any]:
    for prelude in PRELUDES.get(command, []):
        done = run(*placed(prelude, tmp_path))
        assert done.exit_code == 0, (prelude, done.output)
    result = run(*command.split(), *placed(args, tmp_path), "--format", "json")
    assert result.exit_code in (0, 3), (command, args, result.output)  # 3: valid, findings
    document: dict[str, Any] = json.loads(result.stdout)
    return document


@pytest.mark.parametrize(
    ("command", "args"),
    [(c, a) for c, invocations in INVOCATIONS.items() for a in invocations],
    ids=lambda x: x if isinstance(x, str) else " ".join(Path(a).name for a in x) or "annex",
)
def test_every_commands_json_is_valid_against_its_schema(
    run: Run, command: str, args: list[str], tmp_path: Path
) -> None:
    document = printed_json(run, command, args, tmp_path)
    assert document["schema_version"] == SCHEMA_VERSION
    assert next(iter(document)) == "schema_version"
    validator = jsonschema.Draft202012Validator(schemas.SCHEMAS[command]())
    errors = [
        f"{list(e.absolute_path)}: {e.message[:200]}" for e in validator.iter_errors(document)
    ]
    assert errors == []


def test_a_key_added_or_left_out_is_caught(run: Run, tmp_path: Path) -> None:
    """The schemas are strict: the test above would fail on an output that drifts."""
    schema = schemas.SCHEMAS["report"]()
    document = printed_json(run, "report", [], tmp_path)
    jsonschema.validate(document, schema)
    document["totals"]["new_total"] = "1"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, schema)
    del document["totals"]["new_total"], document["received"]["entries"][0]["chf"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, schema)
    document = printed_json(run, "pledges", [], tmp_path)
    document["pledges"][0]["paid"] = 12.5  # an amount as a number, not a string
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, schemas.SCHEMAS["pledges"]())


def test_interfaces_md_lists_every_schema_and_its_keys() -> None:
    """docs/interfaces.md's table of schemas: a row a command, its file, its top-level keys."""
    text = (ROOT / "docs" / "interfaces.md").read_text(encoding="utf-8")
    rows = re.findall(
        r"^\| `wsis-ledger ([a-z ]+) --format json` \| \[[^\]]+\]\(schema/([\w.-]+)\) \| (.+) \|$",
        text,
        re.M,
    )
    listed = {command: (file, re.findall(r"`(\w+)`", keys)) for command, file, keys in rows}
    assert set(listed) == set(schemas.SCHEMAS)
    for command, (file, keys) in listed.items():
        assert file == schemas.file_name(command)
        assert keys == list(schemas.SCHEMAS[command]()["properties"]), command


def test_an_installed_package_writes_its_schemas_only_where_told(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Installed (not editable), the package has no checkout around it: docs/schema beside
    # it would be inside site-packages. It asks for a folder, and writes nothing.
    installed = tmp_path / "site-packages"
    installed.mkdir()
    monkeypatch.setattr(schemas, "CHECKOUT", installed)
    monkeypatch.setattr(schemas, "FOLDER", installed / "docs" / "schema")
    assert schemas.main([]) == 2
    assert schemas.main(["--check"]) == 2
    assert "name the folder" in capsys.readouterr().err
    assert list(installed.iterdir()) == []
    target = tmp_path / "out"
    assert schemas.main([str(target)]) == 0
    assert {p.name for p in target.iterdir()} == {schemas.file_name(c) for c in schemas.SCHEMAS}
    assert schemas.main(["--check", str(target)]) == 0

"""`wsis-ledger check`: validate everything and recompute every stated total."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from wsis_ledger.answers import Cached, repository_root
from wsis_ledger.commands.options import (
    data_option,
    format_option,
    lang_option,
    ledger_files,
    load_checked,
    no_cache_option,
    output_option,
    settings_of,
    through_cache,
)

if TYPE_CHECKING:
    from wsis_ledger.api import LedgerFiles, Settings
    from wsis_ledger.compute.stated_totals import StatedFigure
    from wsis_ledger.core.ledger import Ledger
    from wsis_ledger.core.models import Acknowledgement
    from wsis_ledger.core.problems import Problem


@click.command()
@data_option
@format_option("table", "text", "json", "github", default="table")
@click.option(
    "--strict", is_flag=True, help="Exit 3 (findings) on warnings too, not only on problems."
)
@output_option
@no_cache_option
@lang_option
def check(
    data: Path | None, fmt: str, strict: bool, output: Path | None, no_cache: bool, lang: str
) -> None:
    """Check the ledger: every file, record, reference and rate, and every
    total a statement states against what its entries add up to.

    Prints each problem as `path:line:col: message`, then a summary
    (`--format table`; `text` is the same). `--format github` prints GitHub
    Actions annotations (`::error`, `::warning`), so problems show on the
    lines of a pull request; `json` prints them as records.
    Warnings (spending beyond an earmark or a budget line) are listed apart
    from problems. Exits 0 when the ledger is clean or has warnings only,
    1 when its records have problems (the ledger is invalid), 3 when it is
    valid but has findings (printed totals that differ from their rows;
    with --strict, warnings), 2 on a usage error: a fund's CI can fail on 1
    and only warn on 3. A second run over unchanged files answers
    from the cache.

    \b
    Examples:
      wsis-ledger check
      wsis-ledger check --data ~/funds/tunis
      wsis-ledger check --format json | jq '.problems[] | .message'
      wsis-ledger check --format github
      wsis-ledger check --format json -o check.json
    """
    fmt = "table" if fmt == "text" else fmt
    settings = settings_of(no_cache)
    files = ledger_files(data)
    # A document a loan drawing names is checked too: the folder's other files (not the
    # ledger's), where it has any, are part of the cached answer's key.
    documents = _other_files(files.root) if settings.cache else ""
    # Annotations name files from the repository's root, wherever the command runs.
    base = repository_root(files.root) if fmt == "github" else None
    options = ("check", fmt, "strict" if strict else "", *([documents] if documents else []))
    options += (str(base),) if base is not None else ()
    options += (lang,) if lang != "en" else ()  # English keeps the keys it always had
    through_cache(
        files,
        options,
        settings,
        lambda: _check(files, settings, fmt, strict, base, lang),
        output,
        lang,
    )


def _check(
    files: LedgerFiles,
    settings: Settings,
    fmt: str,
    strict: bool = False,
    base: Path | None = None,
    lang: str = "en",
) -> Cached:
    # Imported here, not above: a cache hit never needs them (nor the models).
    from wsis_ledger.compute.checks import run_warnings
    from wsis_ledger.compute.stated_totals import acknowledgement_of, stated_figures
    from wsis_ledger.core.language import (
        Message,
        Signed,
        counted,
        msg,
        number,
        said,
        translate,
        word,
    )
    from wsis_ledger.core.problems import capped_count, told_count

    root, ledger, problems = _with_documents(*load_checked(files, settings))
    figures = [] if ledger is None or problems else stated_figures(ledger)
    # Told as problems are: at most so many of one kind for one file, then one line
    # with how many more (a ledger's rates can all be far from the reference).
    warnings, warned = ([], 0) if ledger is None or problems else capped_count(run_warnings(ledger))
    code = exit_code(problems, warnings, strict)
    failed = code != 0
    acknowledged = {
        id(f): ack
        for f in figures
        if ledger is not None and (ack := acknowledgement_of(ledger, f)) is not None
    }
    lines = []
    if fmt == "json":
        lines.append(_json_document(root, problems, warnings, figures, acknowledged, ok=not failed))
    elif problems:
        if fmt == "github":  # annotations on the lines, then the same summary
            lines.extend(github_annotation(problem, base, lang) for problem in problems)
        else:
            lines.extend(problem.render(lang=lang) for problem in problems)
        where = len({p.where.path for p in problems})
        lines.append(
            word(lang, "problems_in_files", "{problems} in {files}.").format(
                problems=counted(
                    lang, "problems", "{count} problem", "{count} problems", told_count(problems)
                ),
                files=counted(lang, "files", "{count} file", "{count} files", where),
            )
        )
    else:
        assert ledger is not None
        if warnings and fmt == "github":
            lines.extend(github_annotation(warning, base, lang) for warning in warnings)
        matching = [f for f in figures if id(f) not in acknowledged]
        totals = word(lang, "list_separator", ", ").join(
            word(lang, "total_chf", "{total} {amount} CHF").format(
                # the total's name as tables say it (render.labels.VALUES), without
                # importing the writers: `check` never needs them
                total=translate(Message("value", f.total), lang),
                amount=number(f.computed, lang),
            )
            + (
                word(lang, "held_against", ", held against {printed} CHF as printed").format(
                    printed=f.bound.words().in_language(lang)
                )
                if f.bound
                else ""
            )
            for f in matching
        )
        entries = counted(lang, "entries", "{count} entry", "{count} entries", len(ledger.entries))
        matched = counted(
            lang,
            "totals_match",
            "{count} stated total match",
            "{count} stated totals match",
            len(matching),
        )
        if not figures:  # nothing compared: say so, not "0 match"
            matched = word(lang, "nothing_to_compare", "no statement states a total to compare")
        details = f" ({totals})" if totals else ""
        known = (
            word(lang, "acknowledged_count", ", {count} acknowledged").format(
                count=len(acknowledged)
            )
            if acknowledged
            else ""
        )
        ok = word(lang, "check_ok", "ok: {files}, {entries}, {matched}{details}{known}.")
        lines.append(
            ok.format(
                files=counted(lang, "files", "{count} file", "{count} files", len(ledger.files)),
                entries=entries,
                matched=matched,
                details=details,
                known=known,
            )
        )
        for figure in figures:
            ack = acknowledged.get(id(figure))
            if ack is not None:
                of_purpose = (
                    said(msg("for_purpose", " for purpose '{purpose}'"), purpose=figure.purpose)
                    if figure.purpose
                    else ""
                )
                line = said(
                    msg(
                        "acknowledged_line",
                        "acknowledged: {total}{of_purpose} of '{statement}' prints {printed} CHF, "
                        "its rows add up to {computed} CHF ({difference} CHF): {note} ({date})",
                    ),
                    total=Message("value", figure.total),
                    of_purpose=of_purpose,
                    statement=figure.statement.id,
                    printed=figure.as_printed,
                    computed=figure.computed,
                    difference=Signed(figure.computed - figure.stated),
                    note=ack.note,
                    date=ack.date,
                )
                lines.append(visible(line.in_language(lang)))
        if warnings and fmt != "github":  # after the summary: the ledger is valid
            prefix = word(lang, "warning_line", "warning: {warning}")
            lines.extend(prefix.format(warning=warning.render(lang=lang)) for warning in warnings)
        if warnings:
            count = counted(lang, "warnings", "{count} warning", "{count} warnings", warned)
            ending = (
                word(lang, "strict_failing", " (--strict: failing).")
                if strict
                else word(lang, "full_stop", ".")
            )
            lines.append(count + ending)
    return Cached("\n".join(lines) + "\n", "", code)


def exit_code(problems: list[Problem], warnings: list[Problem], strict: bool) -> int:
    """1 when the records have problems; 3 (findings) when the only problems are printed
    totals that differ from their rows, or with `--strict` there are warnings; else 0."""
    from wsis_ledger.compute.stated_totals import record_problems
    from wsis_ledger.core.errors import EXIT_FINDINGS, EXIT_INVALID

    if record_problems(problems):
        return EXIT_INVALID
    if problems or (strict and warnings):
        return EXIT_FINDINGS
    return 0


def _other_files(root: Path) -> str:
    """A SHA-256 of the names, sizes and times of the files in the ledger folder that are
    not ledger files (the documents loan drawings name); "" where there are none."""
    import hashlib
    import os

    lines = []
    for folder, folders, names in os.walk(root):
        folders[:] = sorted(f for f in folders if not f.startswith("."))
        for name in sorted(names):
            if name.startswith(".") or name.lower().endswith((".yaml", ".yml")):
                continue
            path = os.path.join(folder, name)
            try:
                info = os.stat(path, follow_symlinks=False)
            except OSError:
                continue
            lines.append(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\n")
    if not lines:
        return ""
    return hashlib.sha256("".join(lines).encode("utf-8", "surrogateescape")).hexdigest()


def _with_documents(
    root: Path, ledger: Ledger | None, problems: list[Problem]
) -> tuple[Path, Ledger | None, list[Problem]]:
    """The problems, with those of the documents loan drawings name (missing, changed)."""
    if ledger is not None and any(d.document_sha256 for d in ledger.loan_drawings):
        from wsis_ledger.api import document_problems

        problems = [*problems, *document_problems(ledger)]
    return root, ledger, problems


def _json_document(
    root: Path,
    problems: list[Problem],
    warnings: list[Problem],
    figures: list[StatedFigure],
    acknowledged: dict[int, Acknowledgement],
    *,
    ok: bool,
) -> str:
    import json  # here, not above: a cache hit needs no JSON (bench/HISTORY.md)

    from wsis_ledger.core import money
    from wsis_ledger.core.json_schema import SCHEMA_VERSION

    document = {
        "schema_version": SCHEMA_VERSION,  # added in 0.3.0, first in every JSON output
        "ok": ok,
        "ledger": str(root),
        "problems": [problem.as_record() for problem in problems],
        "warnings": [warning.as_record() for warning in warnings],
        "stated": [
            {
                "statement": figure.statement.id,
                "total": figure.total,
                "purpose": figure.purpose,
                "stated": money.format_amount(figure.stated),
                "computed": money.format_amount(figure.computed),
                "matches": figure.stated == figure.computed,
                # Added in [Unreleased]: a known difference, acknowledged with a note.
                "acknowledged": None
                if id(figure) not in acknowledged
                else {
                    "id": acknowledged[id(figure)].id,
                    "date": acknowledged[id(figure)].date.isoformat(),
                    "note": acknowledged[id(figure)].note,
                },
            }
            for figure in figures
        ],
    }
    from wsis_ledger.core.visible import json_safe  # not render's: a check imports no renderer

    return json_safe(json.dumps(document, ensure_ascii=False, indent=2))


def check_schema() -> dict[str, object]:
    """The schema of `_json_document`'s document (`check --format json`)."""
    from wsis_ledger.core.json_schema import (
        AMOUNT,
        DAY,
        FLAG,
        N_TEXT,
        TEXT,
        array,
        document,
        null_or,
        obj,
    )
    from wsis_ledger.core.problems import problem_schema

    acknowledged = obj({"id": TEXT, "date": DAY, "note": TEXT})
    stated = {"statement": TEXT, "total": TEXT, "purpose": N_TEXT, "stated": AMOUNT}
    stated |= {"computed": AMOUNT, "matches": FLAG, "acknowledged": null_or(acknowledged)}
    return document(
        "wsis-ledger check --format json",
        "Every problem and warning of the ledger, and each printed total beside its rows.",
        {
            "ok": FLAG,
            "ledger": TEXT,
            "problems": array(problem_schema()),
            "warnings": array(problem_schema()),
            "stated": array(obj(stated)),
        },
    )


def severity(problem: Problem) -> str:
    """The annotation's level: `warning` for a warning, `error` for anything else."""
    return "warning" if problem.severity == "warning" else "error"


def github_annotation(problem: Problem, base: Path | None = None, lang: str = "en") -> str:
    """The problem as a GitHub Actions workflow command: `::error file=…,line=…::message`.

    Escaped as GitHub's runner reads them: `%`, CR and LF in the message, and
    also `:` and `,` in the properties (a path or a code may hold them). The
    path and message are `visible` first (`as_record`): no line break reaches
    the log, so nothing in a ledger can start a workflow command of its own.
    The path is relative to `base` (the repository's root) when the file is inside it,
    as GitHub places annotations; else as `check` prints it. The message is in `lang`.
    """
    record = problem.as_record()
    path = str(record["path"])
    if base is not None:
        inside = os.path.relpath(os.path.realpath(problem.where.path), base)
        if inside != os.pardir and not inside.startswith(os.pardir + os.sep):
            path = visible(inside.replace(os.sep, "/"))
    properties = [f"file={_property(path)}"]
    if problem.where.line:
        properties.append(f"line={problem.where.line}")
        if problem.where.column:
            properties.append(f"col={problem.where.column}")
    properties.append(f"title={_property(visible(problem.code))}")
    return (
        f"::{severity(problem)} {','.join(properties)}::{_data(visible(problem.message_in(lang)))}"
    )


def visible(text: str) -> str:
    from wsis_ledger.core.visible import visible as shown

    return shown(text)


def _data(text: str) -> str:
    return visible(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")

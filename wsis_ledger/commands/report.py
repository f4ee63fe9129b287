"""`wsis-ledger report`: the statement, section by section, with totals."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from wsis_ledger.answers import Cached
from wsis_ledger.commands.options import (
    as_of_option,
    data_option,
    format_option,
    lang_option,
    ledger_files,
    no_cache_option,
    open_ledger,
    output_option,
    settings_of,
    through_cache,
    write_output,
)
from wsis_ledger.core.errors import EXIT_FINDINGS

if TYPE_CHECKING:
    from wsis_ledger.api import LedgerFiles, Settings
    from wsis_ledger.core.problems import Problem  # a cache hit never defines it

FORMATS = ("table", "markdown", "csv", "json", "html", "pdf")


@click.command()
@data_option
@format_option(*FORMATS)
@lang_option
@as_of_option
@output_option
@click.option(
    "--wide",
    is_flag=True,
    help="Keep every table row on one line and every digit of derived rates "
    "(tables on a terminal are otherwise fitted to its width).",
)
@no_cache_option
def report(
    data: Path | None,
    fmt: str,
    lang: str,
    as_of: date | None,
    output: Path | None,
    wide: bool,
    no_cache: bool,
) -> None:
    """Print the ledger as its statement shows it: contributions received
    and pledged, loans, seconded staff, facilities, staff, and a summary
    against the budget estimate. Every total is computed from the entries.

    A printed total that differs from its rows (and is not acknowledged) is
    shown at the top of the report, which then exits 3 (valid, with findings);
    problems in the records themselves show nothing (exit 1).

    --format html gives one self-contained, print-ready page with a chart;
    --format pdf prints it (headless Chromium: running header, page N of M)
    to the file -o names.

    \b
    Examples:
      wsis-ledger report
      wsis-ledger report --lang zh
      wsis-ledger report --format json | jq .totals
      wsis-ledger report --format html --lang zh -o annex.html
      wsis-ledger report --format pdf -o annex.pdf
      wsis-ledger report --as-of 2003-06-30 --data ~/funds/wsis
    """
    settings = settings_of(no_cache)
    files = ledger_files(data)
    if fmt == "pdf":
        _printed(files, settings, lang, as_of, output)
        return
    width = None if wide or output is not None else terminal_width()
    shape = f"{width or ''}{'wide' if wide else ''}"
    options = ("report", fmt, lang, as_of.isoformat() if as_of else "", shape)

    def produce() -> Cached:
        return _report(files, settings, fmt, lang, as_of, width, wide)

    through_cache(files, options, settings, produce, output, lang)


def _printed(
    files: LedgerFiles, settings: Settings, lang: str, as_of: date | None, output: Path | None
) -> None:
    """The report's HTML printed to PDF (not kept in the answers' cache: bytes, and
    seconds of Chromium), written to `output`; said and ended as the HTML would be."""
    from wsis_ledger import api

    if output is None or str(output) == "-":
        raise click.UsageError("--format pdf is written to a file: give -o FILE")
    made = _report(files, settings, "html", lang, as_of, None, False)
    assert isinstance(made.stdout, str), "the HTML is made whole"
    try:
        document = api.printed_pdf(made.stdout)
    except api.OutputError as error:
        raise click.ClickException(str(error)) from None
    write_output(output, document, files.root, lang)
    if made.stderr:
        click.echo(made.stderr, nl=False, err=True)
    if made.exit_code:
        raise SystemExit(made.exit_code)


def terminal_width() -> int | None:
    """The terminal's width (COLUMNS where set), or None when output goes to a pipe or file."""
    import shutil
    import sys

    if not sys.stdout.isatty():
        return None
    return shutil.get_terminal_size().columns


def _report(
    files: LedgerFiles,
    settings: Settings,
    fmt: str,
    lang: str,
    on: date | None,
    width: int | None,
    wide: bool,
) -> Cached:
    # Imported here, not above: a cache hit never needs them (nor the models).
    from wsis_ledger.render.json_out import json_pieces, streamed
    from wsis_ledger.render.report import render

    # Printed totals that differ from their rows do not hide the report: it shows them at
    # its top (and on standard error) and exits 3. Problems in the records still hide it.
    findings: list[Problem] = []
    opened = open_ledger(files, findings=findings, settings=settings, lang=lang)
    built = opened.report_position(on, lang)
    stderr = "".join(problem.render(lang=lang) + "\n" for problem in findings)
    code = EXIT_FINDINGS if findings else 0
    if fmt == "html":
        from wsis_ledger.render.html import render_html

        return Cached(render_html(built), stderr, code)
    if fmt == "json" and streamed(built):
        # Written as it is made, and not kept in the output cache (which keeps
        # an answer whole): see render.json_out.STREAMED_JSON_ENTRIES.
        return Cached(json_pieces(built, settings.shortcuts), stderr, code)
    return Cached(render(built, fmt, width, wide, settings.shortcuts), stderr, code)

"""`wsis-ledger check`: validate everything and recompute every stated total."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .. import money
from ..checks import stated_figures
from .options import data_option, format_option, load_checked, plural


@click.command()
@data_option
@format_option("text", "json", default="text")
def check(data: Path | None, fmt: str) -> None:
    """Check the ledger: every file, record, reference and rate, and every
    total a statement states against what its entries add up to.

    Prints each problem as `path:line:col: message`, then a summary.
    Exits 0 when the ledger is clean, 1 when it has problems, 2 on a usage
    error: what a fund's CI runs.

    \b
    Examples:
      wsis-ledger check
      wsis-ledger check --data ~/funds/tunis
      wsis-ledger check --format json | jq '.problems[] | .message'
    """
    root, ledger, problems = load_checked(data)
    files = len(ledger.files) if ledger else None
    if fmt == "json":
        document = {
            "ok": not problems,
            "ledger": str(root),
            "problems": [problem.as_record() for problem in problems],
            "stated": [
                {
                    "statement": figure.statement.id,
                    "total": figure.total,
                    "purpose": figure.purpose,
                    "stated": money.format_amount(figure.stated),
                    "computed": money.format_amount(figure.computed),
                    "matches": figure.stated == figure.computed,
                }
                for figure in ([] if ledger is None or problems else stated_figures(ledger))
            ],
        }
        click.echo(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        for problem in problems:
            click.echo(problem.render())
        if problems:
            where = len({p.where.path for p in problems})
            click.echo(f"{plural(len(problems), 'problem')} in {plural(where, 'file')}.")
        else:
            assert ledger is not None
            stated = stated_figures(ledger)
            figures = ", ".join(
                f"{f.total} {money.group_thousands(f.computed)} CHF" for f in stated
            )
            entries = plural(len(ledger.entries), "entry", "entries")
            matched = plural(len(stated), "stated total") + " match"
            details = f" ({figures})" if figures else ""
            click.echo(f"ok: {plural(files or 0, 'file')}, {entries}, {matched}{details}.")
    if problems:
        raise SystemExit(1)

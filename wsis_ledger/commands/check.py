"""`wsis-ledger check`: validate everything and recompute every stated total."""

from __future__ import annotations

import json
from pathlib import Path

import click

from wsis_ledger.commands.options import (
    data_option,
    format_option,
    ledger_folder,
    load_checked,
    no_cache_option,
    plural,
    through_cache,
)
from wsis_ledger.source.cache import Cached


@click.command()
@data_option
@format_option("text", "json", default="text")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too, not only on problems.")
@no_cache_option
def check(data: Path | None, fmt: str, strict: bool, no_cache: bool) -> None:
    """Check the ledger: every file, record, reference and rate, and every
    total a statement states against what its entries add up to.

    Prints each problem as `path:line:col: message`, then a summary.
    Warnings (spending beyond an earmark or a budget line) are listed apart
    from problems. Exits 0 when the ledger is clean or has warnings only,
    1 when it has problems (or, with --strict, warnings), 2 on a usage
    error: what a fund's CI runs. A second run over unchanged files answers
    from the cache.

    \b
    Examples:
      wsis-ledger check
      wsis-ledger check --data ~/funds/tunis
      wsis-ledger check --format json | jq '.problems[] | .message'
    """
    root = ledger_folder(data)
    options = ("check", fmt, "strict" if strict else "")
    through_cache(root, options, no_cache, lambda: _check(data, fmt, strict))


def _check(data: Path | None, fmt: str, strict: bool = False) -> Cached:
    # Imported here, not above: a cache hit never needs them (nor the models).
    from wsis_ledger.compute.checks import run_warnings, stated_figures
    from wsis_ledger.core import money

    root, ledger, problems = load_checked(data)
    figures = [] if ledger is None or problems else stated_figures(ledger)
    warnings = [] if ledger is None or problems else run_warnings(ledger)
    failed = bool(problems) or (strict and bool(warnings))
    lines = []
    if fmt == "json":
        document = {
            "ok": not failed,
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
                }
                for figure in figures
            ],
        }
        lines.append(json.dumps(document, ensure_ascii=False, indent=2))
    elif problems:
        lines.extend(problem.render() for problem in problems)
        where = len({p.where.path for p in problems})
        lines.append(f"{plural(len(problems), 'problem')} in {plural(where, 'file')}.")
    else:
        assert ledger is not None
        if warnings:
            lines.extend(f"warning: {warning.render()}" for warning in warnings)
        totals = ", ".join(f"{f.total} {money.group_thousands(f.computed)} CHF" for f in figures)
        entries = plural(len(ledger.entries), "entry", "entries")
        matched = plural(len(figures), "stated total") + " match"
        details = f" ({totals})" if totals else ""
        lines.append(f"ok: {plural(len(ledger.files), 'file')}, {entries}, {matched}{details}.")
        if warnings:
            lines.append(
                f"{plural(len(warnings), 'warning')}" + (" (--strict: failing)." if strict else ".")
            )
    return Cached("\n".join(lines) + "\n", "", 1 if failed else 0)

"""`wsis-ledger reconcile`: two published statements side by side, donor by donor."""

from __future__ import annotations

from pathlib import Path

import click

from wsis_ledger.commands.options import (
    data_option,
    document_output,
    format_option,
    lang_option,
    open_ledger,
)


@click.command()
@click.argument("a")
@click.argument("b")
@click.option(
    "--with",
    "other",
    type=click.Path(file_okay=False, path_type=Path),
    help="B is a statement of the ledger in this folder (A's is the ledger of --data).",
)
@data_option
@format_option("table", "markdown", "csv", "json", "html")
@lang_option
@document_output
def reconcile(a: str, b: str, other: Path | None, data: Path | None, fmt: str, lang: str) -> None:
    """Put statement A beside statement B (ids): one row a donor, matched by id,
    name and alias in any language, with each side's received and pledged, the
    differences, and which donors are only in A or only in B; by purpose where
    both give purposes; and totals that add up. A donor matched only by a close
    spelling is never merged: it is listed with the alias line to add.

    Differences are findings, not errors: the exit status is 0 whatever they
    are (2 on a usage error: an unknown statement, a missing folder).

    \b
    Examples:
      wsis-ledger reconcile annex-2002-12-20 liste-2004 --with examples/liste-2004
      wsis-ledger reconcile annex-2002-12-20 liste-2004 --with examples/liste-2004 --format csv -o a-b.csv
    """
    from wsis_ledger import api

    # Printed totals that differ from their rows do not stop a reconciliation: they
    # are findings about the published record, as the differences it lists are.
    first = open_ledger(data, findings=[], lang=lang)
    second = open_ledger(other, findings=[], lang=lang) if other is not None else first
    try:
        found = api.reconcile(first, a, second, b, lang=lang)
    except api.UnknownStatement as error:
        raise click.BadParameter(str(error), param_hint=error.which) from None
    click.echo(api.render_reconciliation(found, fmt), nl=False)

"""Documents printed from what the ledger gives: the accounts in every format, and
an HTML page printed to PDF."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wsis_ledger.compute.accounts import Accounts


class OutputError(Exception):
    """An output could not be made (a PDF without Chromium): the message says why."""


def accounts_document(accounts: Accounts, fmt: str) -> bytes:
    """The accounts as `table`, `markdown`, `csv`, `json`, `html`, `xlsx` or `pdf` bytes."""
    from wsis_ledger.render.accounts import render_accounts

    if fmt == "pdf":
        from wsis_ledger.render.accounts_html import html

        return printed_pdf(html(accounts))
    return render_accounts(accounts, fmt)


def printed_pdf(html: str) -> bytes:
    """An HTML document (`accounts`, `report`) printed to PDF by headless Chromium, through
    its own running header and page numbers; `OutputError` where it cannot be."""
    from wsis_ledger.render.pdf import PdfError, pdf_from_html

    try:
        return pdf_from_html(html)
    except PdfError as error:
        raise OutputError(str(error)) from None

"""An HTML document printed to PDF by headless Chromium (CSS paged media).

Chromium lays out the running header and "page N of M" from the document's
own `@page` rules; its own header and footer (which would print the file's
path and the date) are turned off. The HTML is written to a private
temporary folder, printed there, and the folder removed: nothing of it is
left, and the PDF names nothing of the machine.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

#: How long Chromium may take to print one document.
TIMEOUT_SECONDS = 120


class PdfError(Exception):
    """No PDF could be made (no Chromium, or it failed): the message says what to do."""


def chromium() -> str | None:
    """The Chromium to print with: `chromium` (or `chromium-browser`) on the PATH."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def pdf_from_html(html: str) -> bytes:
    """The PDF Chromium prints of `html` (A4, the document's own header and footer)."""
    program = chromium()
    if program is None:
        raise PdfError(
            "a PDF is printed by headless Chromium, which was not found on the PATH: "
            "install chromium, or write --format html and print it to PDF"
        )
    with tempfile.TemporaryDirectory(prefix="wsis-ledger-pdf-") as folder:
        page, pdf = Path(folder) / "accounts.html", Path(folder) / "accounts.pdf"
        page.write_text(html, encoding="utf-8")
        flags = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
            f"--user-data-dir={Path(folder) / 'profile'}",
            f"--print-to-pdf={pdf}",
        ]
        try:
            subprocess.run(
                [program, *flags, page.as_uri()],
                capture_output=True,
                timeout=TIMEOUT_SECONDS,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise PdfError(f"Chromium could not print the PDF: {error}") from None
        if not pdf.is_file() or pdf.stat().st_size == 0:
            raise PdfError("Chromium printed no PDF")
        return pdf.read_bytes()

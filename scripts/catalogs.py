"""The translator's workflow in one command: extract the words, update each language's
catalog, compile them.

    python scripts/catalogs.py            # extract, update every .po, compile every .mo
    python scripts/catalogs.py --check    # only say whether the committed .mo are current

It runs pybabel (Babel's own command line) with the project's options, so that every
catalog is written the same way: no source locations (a moved line changes no catalog),
sorted by key, no fuzzy guesses (a new string is left empty for a translator, never
filled from a near one). docs/development.md describes the steps one by one.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.frontend import CommandLineInterface

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "wsis_ledger" / "locale"
TEMPLATE = LOCALE / "wsis_ledger.pot"
LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
KEYWORDS = ["-k", "msg:1c,2", "-k", "word:2c,3", "-k", "counted:2c,3,4", "-k", "plural:1c,2,3"]


def pybabel(*args: str) -> None:
    """Run one pybabel command, as `pybabel ARGS` on the command line would."""
    CommandLineInterface().run(["pybabel", "-q", *args])


def main() -> int:
    """Extract, update and compile; with `--check`, exit 1 when a .mo is not its .po's."""
    if "--check" in sys.argv[1:]:
        import io

        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        stale = []
        for lang in LANGUAGES:
            folder = LOCALE / lang / "LC_MESSAGES"
            with open(folder / "wsis_ledger.po", "rb") as po:
                out = io.BytesIO()
                write_mo(out, read_po(po, locale=lang))
            if (folder / "wsis_ledger.mo").read_bytes() != out.getvalue():
                stale.append(lang)
        print("stale: " + ", ".join(stale) if stale else "every .mo is current")
        return 1 if stale else 0
    pybabel(
        "extract", "-F", str(ROOT / "babel.cfg"), "--no-default-keywords", *KEYWORDS,
        "--no-location", "--sort-output", "--project", "wsis-ledger",
        "-o", str(TEMPLATE), str(ROOT),
    )  # fmt: skip
    for lang in LANGUAGES:
        po = LOCALE / lang / "LC_MESSAGES" / "wsis_ledger.po"
        command = "update" if po.exists() else "init"
        extra = ["--no-fuzzy-matching", "--ignore-obsolete"] if command == "update" else []
        pybabel(
            command, "-D", "wsis_ledger", "-i", str(TEMPLATE), "-d", str(LOCALE), "-l", lang, *extra
        )
    pybabel("compile", "-D", "wsis_ledger", "-d", str(LOCALE), "--statistics")
    return 0


if __name__ == "__main__":
    sys.exit(main())

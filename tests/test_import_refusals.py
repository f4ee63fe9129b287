"""Import inputs that once ended in a traceback: a codec that is not a text
encoding, and a workbook that is not a zip archive. Each is one problem, never
an exception."""

from __future__ import annotations

import codecs
import random
from pathlib import Path

from wsis_ledger.core.problems import Problem
from wsis_ledger.write import sheets

#: Codecs Python knows that turn bytes into bytes (or text into text), not bytes into text.
NOT_TEXT = ["rot13", "rot-13", "ROT_13", "base64", "base_64", "hex", "zlib", "bz2", "quopri", "uu"]


def test_a_codec_that_is_not_a_text_encoding_is_refused_as_an_unknown_one() -> None:
    source = Path("ok.csv")
    for name in NOT_TEXT:
        try:
            codecs.lookup(name)
        except LookupError:
            continue
        result = sheets.decode(b"date,amount\n2005-01-01,1\n", source, name)
        assert isinstance(result, Problem), name
        assert "not an encoding" in result.message, result.message
    for name in ["cp1252", "utf-8", "mac-roman", "iso-8859-15"]:
        assert not isinstance(sheets.decode(b"a,b\n", source, name), Problem), name


def test_a_workbook_that_is_not_a_zip_is_one_problem() -> None:
    generator = random.Random(27)
    samples = [b"", b"garbage\n", b"PK\x03\x04x", b"PK\x05\x06" + bytes(18), b"date,amount\n"]
    samples += [
        bytes(generator.randrange(256) for _ in range(generator.randrange(1, 300)))
        for _ in range(150)
    ]
    samples += [
        b"PK\x03\x04" + bytes(generator.randrange(256) for _ in range(generator.randrange(0, 200)))
        for _ in range(150)
    ]
    for data in samples:
        result = sheets.read_workbook(data, Path("bad.xlsx"), None)
        assert isinstance(result, Problem), data[:20]
        assert "Excel workbook" in result.message

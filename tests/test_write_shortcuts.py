"""Shortcuts on the way to a write give exactly what the plain path gives:
`sections_to_yaml`, which writes each repeated text or date once, and
`DonorIndex.find`, which works each name's key out once."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from plain_yaml import RECORDS, plain_sections_to_yaml

from wsis_ledger.core.fields import name_key
from wsis_ledger.source.loading import load
from wsis_ledger.write.donors import DonorIndex
from wsis_ledger.write.yaml_text import sections_to_yaml


@given(st.dictionaries(st.sampled_from(["donors", "received", "pledged"]), RECORDS))
def test_sections_to_yaml_agrees_with_the_plain_path(
    sections: dict[str, list[dict[str, object]]],
) -> None:
    header = "Imported\n\nfrom x"
    assert sections_to_yaml(sections, header) == plain_sections_to_yaml(sections, header)


def test_equal_amounts_written_differently_stay_as_written() -> None:
    records = [{"amount": Decimal("1.0")}, {"amount": Decimal("1")}, {"amount": Decimal("1.00")}]
    text = sections_to_yaml({"received": records}, "h")
    assert text.splitlines()[1:] == [
        "received:",
        "  - amount: 1.0",
        "  - amount: 1",
        "  - amount: 1.00",
    ]


def test_donor_index_finds_what_name_key_finds(tmp_path: Path) -> None:
    (tmp_path / "ledger.yaml").write_text(
        "fund:\n  id: f\n  name: Fund\n"
        "donors:\n"
        "  - {id: ge, name: Genève, kind: government}\n"
        "  - {id: se, name: Government of Sweden, aliases: [Sverige], kind: government}\n",
        encoding="utf-8",
    )
    ledger, problems = load(tmp_path)
    assert ledger is not None and not problems
    index = DonorIndex(ledger)
    names = ["GENÈVE", "Gene\u0300ve", "sverige ", "Sverige", "ge", "nobody", "GENÈVE", "Sverige"]
    found = [index.find(name) for name in names]
    assert found == [index.by_key.get(name_key(name)) for name in names]
    assert found == ["ge", "ge", "se", "se", "ge", None, "ge", "se"]

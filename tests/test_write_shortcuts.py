"""Shortcuts on the way to a write give exactly what the plain path gives:
`sections_to_yaml`, which writes each repeated text or date once, and
`DonorIndex.find`, which works each name's key out once."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from wsis_ledger.core.fields import name_key
from wsis_ledger.source.loading import load
from wsis_ledger.write.files import scalar, sections_to_yaml
from wsis_ledger.write.imports import DonorIndex


def plain_sections_to_yaml(
    sections: Mapping[str, Sequence[Mapping[str, object]]], header: str
) -> str:
    lines = [f"# {line}" if line else "#" for line in header.splitlines()]
    for section, records in sections.items():
        if not records:
            continue
        lines.append(f"{section}:")
        for record in records:
            first = True
            for key, value in record.items():
                if value is None:
                    continue
                if isinstance(value, Mapping):
                    inner = ", ".join(
                        f"{k}: {scalar(v)}" for k, v in value.items() if v is not None
                    )
                    shown = "{" + inner + "}"
                else:
                    shown = scalar(value)
                lines.append(f"  {'- ' if first else '  '}{key}: {shown}")
                first = False
    return "\n".join(lines) + "\n"


TEXTS = st.sampled_from(["CHF", "core/x", "yes", "Null", "a: b", "d-1", "Genève", "1.0", ""])
DECIMALS = st.sampled_from(["1", "1.0", "1.00", "0.5", "120"]).map(Decimal)
SCALARS = st.one_of(
    st.none(),
    TEXTS,
    DECIMALS,
    st.dates(date(2004, 1, 1), date(2004, 1, 5)),
    st.booleans(),
    st.integers(0, 3),
)
RECORDS = st.lists(
    st.dictionaries(
        st.sampled_from(["id", "amount", "date", "purpose", "name"]),
        SCALARS | st.dictionaries(st.sampled_from(["en", "zh"]), SCALARS, max_size=2),
        max_size=5,
    ),
    max_size=6,
)


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

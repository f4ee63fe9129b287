"""Shared by the tests of writing: sections of records written out the plain way
(`plain_sections_to_yaml`), and generated records to write (`RECORDS`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal

from hypothesis import strategies as st

from wsis_ledger.write.yaml_text import scalar


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

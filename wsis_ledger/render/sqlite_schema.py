"""The tables and views of `export --format sqlite` (docs/interfaces.md lists them)."""

from __future__ import annotations

from collections.abc import Sequence

#: Raised with each change of the tables or views (docs/interfaces.md).
SCHEMA_VERSION = 3
#: A name's or title's columns in the other official languages, added at the end of their
#: tables in version 3 (`name_en` and `name_zh` keep their places).
OTHER_LANGUAGES = ("fr", "es", "ru", "ar")
#: The columns a receipt and a pledge share, first in their tables.
_ENTRY_COLUMNS = (
    "fund_id",
    "id",
    "donor_id",
    "date",
    "date_source",
    "amount_text",
    "amount_minor",
    "currency",
    "rate_text",
    "rate_basis",
    "chf_text",
    "chf_minor",
    "purpose",
    "phase",
)
#: Where each table's rows come from, in the order of its columns.
TABLES: dict[str, Sequence[str]] = {
    "funds": (
        *("fund_id", "name_en", "name_zh", "as_of", "generated", "tool", "version"),
        *(f"name_{lang}" for lang in OTHER_LANGUAGES),
    ),
    "donors": (
        *("fund_id", "id", "name_en", "name_zh", "kind", "iati_id", "file", "line"),
        *(f"name_{lang}" for lang in OTHER_LANGUAGES),
    ),
    "donor_aliases": ("fund_id", "donor_id", "alias"),
    "statements": (
        "fund_id",
        "id",
        "title_en",
        "title_zh",
        "as_of",
        "source",
        "stated_received_text",
        "stated_pledged_text",
        "file",
        "line",
        *(f"title_{lang}" for lang in OTHER_LANGUAGES),
    ),
    "receipts": (
        *_ENTRY_COLUMNS,
        "pledge_id",
        "statement_id",
        "file",
        "line",
    ),
    "pledges": (
        *_ENTRY_COLUMNS,
        "status",
        "outstanding_chf_text",
        "outstanding_chf_minor",
        "cancelled_on",
        "statement_id",
        "file",
        "line",
        "signed_on",
    ),
    "payments": (
        "fund_id",
        "receipt_id",
        "pledge_id",
        "chf_text",
        "chf_minor",
        "settled_chf_text",
        "settled_chf_minor",
        "exchange_difference_text",
        "exchange_difference_minor",
    ),
    "cancellations": (
        "fund_id",
        "id",
        "pledge_id",
        "date",
        "withdrawn_chf_text",
        "withdrawn_chf_minor",
        "note",
        "file",
        "line",
    ),
    "expenditure": (
        "fund_id",
        "id",
        "date",
        "description",
        "payee",
        "purpose",
        "phase",
        "amount_text",
        "amount_minor",
        "currency",
        "rate_text",
        "chf_text",
        "chf_minor",
        "support_rate_text",
        "support_text",
        "support_minor",
        "file",
        "line",
    ),
    "loan_facilities": (
        "fund_id",
        "id",
        "lender_id",
        "ceiling_text",
        "ceiling_minor",
        "phase",
        "file",
        "line",
    ),
    "loan_drawings": (
        "fund_id",
        "id",
        "facility_id",
        "date",
        "amount_text",
        "amount_minor",
        "use",
        "file",
        "line",
    ),
    "loan_repayments": (
        "fund_id",
        "id",
        "facility_id",
        "date",
        "amount_text",
        "amount_minor",
        "file",
        "line",
    ),
    "secondments": (
        "fund_id",
        "id",
        "donor_id",
        "full_time",
        "part_time",
        "paid_by",
        "file",
        "line",
    ),
    "facilities": ("fund_id", "id", "donor_id", "items", "file", "line"),
    "staff": ("fund_id", "id", "donor_id", "full_time", "part_time", "file", "line"),
    "purposes": (
        "fund_id",
        "purpose",
        "depth",
        "received_text",
        "received_minor",
        "pledged_text",
        "pledged_minor",
    ),
    # Added in schema 2: other income, refunds to donors and bank charges.
    "cash_movements": (
        "fund_id",
        "id",
        "kind",
        "income_kind",
        "date",
        "donor_id",
        "receipt_id",
        "description",
        "amount_text",
        "amount_minor",
        "currency",
        "rate_text",
        "chf_text",
        "chf_minor",
        "file",
        "line",
    ),
}
#: Columns holding whole numbers; the rest are text.
_INTEGERS = ("_minor", "line", "depth", "full_time", "part_time")

VIEWS = {
    "report_totals": """
        SELECT f.fund_id,
          (SELECT COALESCE(SUM(chf_minor), 0) FROM receipts r WHERE r.fund_id = f.fund_id)
            AS received_minor,
          (SELECT COALESCE(SUM(outstanding_chf_minor), 0) FROM pledges p
            WHERE p.fund_id = f.fund_id AND p.cancelled_on IS NULL) AS pledged_minor,
          (SELECT COALESCE(SUM(exchange_difference_minor), 0) FROM payments y
            WHERE y.fund_id = f.fund_id) AS exchange_difference_minor,
          (SELECT COALESCE(SUM(amount_minor), 0) FROM loan_drawings d
            WHERE d.fund_id = f.fund_id) AS loans_drawn_minor,
          (SELECT COALESCE(SUM(amount_minor), 0) FROM loan_repayments d
            WHERE d.fund_id = f.fund_id) AS loans_repaid_minor,
          (SELECT COALESCE(SUM(chf_minor), 0) FROM expenditure e
            WHERE e.fund_id = f.fund_id) AS expenditure_minor,
          (SELECT COALESCE(SUM(support_minor), 0) FROM expenditure e
            WHERE e.fund_id = f.fund_id) AS support_costs_minor,
          (SELECT COALESCE(SUM(chf_minor), 0) FROM cash_movements m
            WHERE m.fund_id = f.fund_id AND m.kind = 'other_income') AS other_income_minor,
          (SELECT COALESCE(SUM(chf_minor), 0) FROM cash_movements m
            WHERE m.fund_id = f.fund_id AND m.kind = 'refunds') AS refunds_minor,
          (SELECT COALESCE(SUM(chf_minor), 0) FROM cash_movements m
            WHERE m.fund_id = f.fund_id AND m.kind = 'bank_charges') AS bank_charges_minor
        FROM funds f""",
    "totals_by_donor": """
        SELECT d.fund_id, d.id AS donor_id, d.name_en,
          (SELECT COALESCE(SUM(chf_minor), 0) FROM receipts r
            WHERE r.fund_id = d.fund_id AND r.donor_id = d.id) AS received_minor,
          (SELECT COALESCE(SUM(outstanding_chf_minor), 0) FROM pledges p
            WHERE p.fund_id = d.fund_id AND p.donor_id = d.id AND p.cancelled_on IS NULL)
            AS pledged_minor
        FROM donors d""",
    "totals_by_purpose": """
        SELECT fund_id, purpose, depth, received_minor, pledged_minor FROM purposes""",
    "sources_and_uses_by_year": """
        WITH moves(fund_id, year, received, drawn, spent, support, repaid, other_in, out) AS (
          SELECT fund_id, substr(date, 1, 4), chf_minor, 0, 0, 0, 0, 0, 0 FROM receipts
          UNION ALL SELECT fund_id, substr(date, 1, 4), 0, amount_minor, 0, 0, 0, 0, 0
            FROM loan_drawings
          UNION ALL SELECT fund_id, substr(date, 1, 4), 0, 0, chf_minor, support_minor, 0, 0, 0
            FROM expenditure
          UNION ALL SELECT fund_id, substr(date, 1, 4), 0, 0, 0, 0, amount_minor, 0, 0
            FROM loan_repayments
          UNION ALL SELECT fund_id, substr(date, 1, 4), 0, 0, 0, 0, 0,
              CASE WHEN kind = 'other_income' THEN chf_minor ELSE 0 END,
              CASE WHEN kind = 'other_income' THEN 0 ELSE chf_minor END
            FROM cash_movements)
        SELECT fund_id, year,
          SUM(received) AS received_minor, SUM(drawn) AS loans_drawn_minor,
          SUM(spent) AS expenditure_minor, SUM(support) AS support_costs_minor,
          SUM(repaid) AS loans_repaid_minor,
          SUM(received) + SUM(drawn) + SUM(other_in) - SUM(spent) - SUM(support)
            - SUM(repaid) - SUM(out) AS change_in_cash_minor,
          SUM(other_in) AS other_income_minor,
          SUM(out) AS refunds_and_bank_charges_minor
        FROM moves GROUP BY fund_id, year ORDER BY fund_id, year""",
}


def schema_sql() -> list[str]:
    """The statements that make an empty database of this schema."""
    statements = [
        f"CREATE TABLE {name} ("
        + ", ".join(f"{column} {_type(column)}" for column in columns)
        + ")"
        for name, columns in TABLES.items()
    ]
    statements += [f"CREATE VIEW {name} AS {body.strip()}" for name, body in VIEWS.items()]
    return statements


def _type(column: str) -> str:
    return "INTEGER" if column.endswith(_INTEGERS) else "TEXT"

"""The tables and views of `export --format sqlite` (docs/interfaces.md lists them)."""

from __future__ import annotations

from collections.abc import Sequence

#: Raised with each change of the tables or views (docs/interfaces.md).
SCHEMA_VERSION = 4
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
        # Added in schema 4: the report's totals it cannot state (its JSON's nulls),
        # comma-separated; the views give them as NULL, never 0.
        "not_stated",
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


def _not_stated(total: str) -> str:
    """SQL: the fund's report does not state `total` (`funds.not_stated`)."""
    return f"instr(',' || COALESCE(f.not_stated, '') || ',', ',{total},') > 0"


def _unless(total: str, select: str) -> str:
    """SQL: the sum `select` (0 where it adds up no row), or NULL where the report does not
    state `total`: an unknown is never a 0."""
    return f"CASE WHEN {_not_stated(total)} THEN NULL ELSE COALESCE(({select}), 0) END"


#: The report's totals as SQL over the tables: each total and the query adding it up.
_TOTALS = (
    ("received", "SELECT SUM(chf_minor) FROM receipts r WHERE r.fund_id = f.fund_id"),
    (
        "pledged",
        "SELECT SUM(outstanding_chf_minor) FROM pledges p"
        " WHERE p.fund_id = f.fund_id AND p.cancelled_on IS NULL",
    ),
    (
        "exchange_difference",
        "SELECT SUM(exchange_difference_minor) FROM payments y WHERE y.fund_id = f.fund_id",
    ),
    ("loans_drawn", "SELECT SUM(amount_minor) FROM loan_drawings d WHERE d.fund_id = f.fund_id"),
    (
        "loans_repaid",
        "SELECT SUM(amount_minor) FROM loan_repayments d WHERE d.fund_id = f.fund_id",
    ),
    ("expenditure", "SELECT SUM(chf_minor) FROM expenditure e WHERE e.fund_id = f.fund_id"),
    ("support_costs", "SELECT SUM(support_minor) FROM expenditure e WHERE e.fund_id = f.fund_id"),
    *(
        (
            kind,
            "SELECT SUM(chf_minor) FROM cash_movements m"
            f" WHERE m.fund_id = f.fund_id AND m.kind = '{kind}'",
        )
        for kind in ("other_income", "refunds", "bank_charges")
    ),
)

VIEWS = {
    "report_totals": "SELECT f.fund_id, "
    + ", ".join(f"{_unless(total, select)} AS {total}_minor" for total, select in _TOTALS)
    + " FROM funds f",
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
    # A year's receipts dated by their statement (`received_undated_minor`, added in
    # schema 4) came by then, from a start the source does not give: a cumulative figure.
    "sources_and_uses_by_year": f"""
        WITH moves(fund_id, year, received, drawn, spent, support, repaid, other_in, out,
                   undated) AS (
          SELECT fund_id, substr(date, 1, 4), chf_minor, 0, 0, 0, 0, 0, 0,
              CASE WHEN date_source = 'entry' THEN 0 ELSE chf_minor END FROM receipts
          UNION ALL SELECT fund_id, substr(date, 1, 4), 0, amount_minor, 0, 0, 0, 0, 0, 0
            FROM loan_drawings
          UNION ALL SELECT fund_id, substr(date, 1, 4), 0, 0, chf_minor, support_minor, 0, 0, 0,
              0 FROM expenditure
          UNION ALL SELECT fund_id, substr(date, 1, 4), 0, 0, 0, 0, amount_minor, 0, 0, 0
            FROM loan_repayments
          UNION ALL SELECT fund_id, substr(date, 1, 4), 0, 0, 0, 0, 0,
              CASE WHEN kind = 'other_income' THEN chf_minor ELSE 0 END,
              CASE WHEN kind = 'other_income' THEN 0 ELSE chf_minor END, 0
            FROM cash_movements)
        SELECT m.fund_id, year,
          SUM(received) AS received_minor, SUM(drawn) AS loans_drawn_minor,
          CASE WHEN {_not_stated("expenditure")} THEN NULL ELSE SUM(spent) END AS expenditure_minor,
          CASE WHEN {_not_stated("support_costs")} THEN NULL ELSE SUM(support) END
            AS support_costs_minor,
          SUM(repaid) AS loans_repaid_minor,
          CASE WHEN {_not_stated("cash")} THEN NULL ELSE
            SUM(received) + SUM(drawn) + SUM(other_in) - SUM(spent) - SUM(support)
            - SUM(repaid) - SUM(out) END AS change_in_cash_minor,
          SUM(other_in) AS other_income_minor,
          SUM(out) AS refunds_and_bank_charges_minor,
          SUM(undated) AS received_undated_minor
        FROM moves m JOIN funds f ON f.fund_id = m.fund_id
        GROUP BY m.fund_id, year ORDER BY m.fund_id, year""",
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

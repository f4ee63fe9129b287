"""The ledger as a SQLite database (`export --format sqlite`), for SQL tools.

One table per kind of record, each row with the file and line it was written
at (relative to the ledger folder); amounts twice: as the exact decimal text
(`*_text`, what the ledger says) and as whole minor units (`*_minor`, CHF
centimes, yen, ...: an integer every SQL engine adds up exactly). Views give
the report's totals, the totals by donor and by purpose, and the sources and
uses of each year. Every row carries `fund_id`, so that several funds can
share one database (`--fund-id`): exporting a fund into a file that holds it
already replaces that fund's rows; a file made with another schema is refused.

The database is made in memory and handed over as bytes, so the file is
written as every output is, whole or not at all.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path

from wsis_ledger.compute.position import EntryRow, Position
from wsis_ledger.core import money
from wsis_ledger.core.ledger import Ledger
from wsis_ledger.core.models import Record, StatedBound
from wsis_ledger.render import provenance

#: Raised with each change of the tables or views (docs/interfaces.md).
SCHEMA_VERSION = 1
#: Where each table's rows come from, in the order of its columns.
TABLES: dict[str, Sequence[str]] = {
    "funds": ("fund_id", "name_en", "name_zh", "as_of", "generated", "tool", "version"),
    "donors": ("fund_id", "id", "name_en", "name_zh", "kind", "iati_id", "file", "line"),
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
    ),
    "receipts": (
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
        "pledge_id",
        "statement_id",
        "file",
        "line",
    ),
    "pledges": (
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
        "status",
        "outstanding_chf_text",
        "outstanding_chf_minor",
        "cancelled_on",
        "statement_id",
        "file",
        "line",
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
            WHERE e.fund_id = f.fund_id) AS support_costs_minor
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
        WITH moves(fund_id, year, received, drawn, spent, support, repaid) AS (
          SELECT fund_id, substr(date, 1, 4), chf_minor, 0, 0, 0, 0 FROM receipts
          UNION ALL SELECT fund_id, substr(date, 1, 4), 0, amount_minor, 0, 0, 0
            FROM loan_drawings
          UNION ALL SELECT fund_id, substr(date, 1, 4), 0, 0, chf_minor, support_minor, 0
            FROM expenditure
          UNION ALL SELECT fund_id, substr(date, 1, 4), 0, 0, 0, 0, amount_minor
            FROM loan_repayments)
        SELECT fund_id, year,
          SUM(received) AS received_minor, SUM(drawn) AS loans_drawn_minor,
          SUM(spent) AS expenditure_minor, SUM(support) AS support_costs_minor,
          SUM(repaid) AS loans_repaid_minor,
          SUM(received) + SUM(drawn) - SUM(spent) - SUM(support) - SUM(repaid)
            AS change_in_cash_minor
        FROM moves GROUP BY fund_id, year ORDER BY fund_id, year""",
}


class SchemaMismatch(ValueError):
    """The file is a database of another schema: it is not added to."""


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


def sqlite(
    position: Position, ledger: Ledger, fund_id: str | None = None, existing: bytes | None = None
) -> bytes:
    """The database holding `position` (and, from `existing`, every other fund it held)."""
    fund_id = fund_id or position.fund_id
    connection = sqlite3.connect(":memory:")
    try:
        if existing:
            connection.deserialize(existing)
            _same_schema(connection)
            for table in TABLES:
                connection.execute(f"DELETE FROM {table} WHERE fund_id = ?", (fund_id,))
        else:
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            for statement in schema_sql():
                connection.execute(statement)
        for table, rows in _rows(position, ledger, fund_id):
            columns = TABLES[table]
            connection.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) "
                f"VALUES ({', '.join('?' for _ in columns)})",
                rows,
            )
        connection.commit()
        return connection.serialize()
    finally:
        connection.close()


def _same_schema(connection: sqlite3.Connection) -> None:
    try:
        (version,) = connection.execute("PRAGMA user_version").fetchone()
        found = sorted(
            row[0]
            for row in connection.execute(
                "SELECT sql FROM sqlite_master WHERE type IN ('table', 'view') AND sql IS NOT NULL"
            )
        )
    except sqlite3.DatabaseError as error:
        raise SchemaMismatch(f"the file is not a SQLite database ({error})") from None
    if version != SCHEMA_VERSION or found != sorted(schema_sql()):
        raise SchemaMismatch(
            f"the file is a database of another schema (version {version}, this tool writes "
            f"version {SCHEMA_VERSION}): export into a new file"
        )


Row = tuple[object, ...]


def _rows(position: Position, ledger: Ledger, fund_id: str) -> Iterable[tuple[str, list[Row]]]:
    made = provenance.now()
    fund = ledger.fund
    as_of = position.as_of.isoformat() if position.as_of else None
    yield (
        "funds",
        [(fund_id, fund.name.en, fund.name.zh, as_of, made.stamp, made.tool, made.version)],
    )
    yield (
        "donors",
        [
            (fund_id, d.id, d.name.en, d.name.zh, d.kind, d.iati_id, *_where(ledger, d))
            for d in ledger.donors
        ],
    )
    yield "donor_aliases", [(fund_id, d.id, alias) for d in ledger.donors for alias in d.aliases]
    yield (
        "statements",
        [
            (
                fund_id,
                s.id,
                s.title.en,
                s.title.zh,
                s.as_of.isoformat(),
                s.source.en if s.source else None,
                _printed(s.stated.received),
                _printed(s.stated.pledged),
                *_where(ledger, s),
            )
            for s in ledger.statements
        ],
    )
    records = {r.id: r for r in (*ledger.received, *ledger.pledged)}
    yield (
        "receipts",
        [
            (
                fund_id,
                *_entry(row),
                row.pledge,
                _statement_of(records, row.id),
                *_where(ledger, records.get(row.id)),
            )
            for row in position.receipts
        ],
    )
    yield "pledges", [_pledge(fund_id, row, records, ledger) for row in position.all_pledges]
    yield (
        "payments",
        [
            (
                fund_id,
                s.receipt.id,
                row.id,
                *_money(s.chf, "CHF"),
                *_money(s.settled_chf, "CHF"),
                *_money(s.exchange_difference, "CHF"),
            )
            for row in position.all_pledges
            if row.standing is not None
            for s in row.standing.settlements
        ],
    )
    yield (
        "cancellations",
        [
            (
                fund_id,
                c.id,
                c.pledge,
                c.date.isoformat(),
                *_money(_withdrawn(position, c.pledge), "CHF"),
                c.note,
                *_where(ledger, c),
            )
            for c in ledger.cancellations
            if _withdrawn(position, c.pledge) is not None
        ],
    )
    spent = {e.id: e for e in ledger.expenditures}
    yield (
        "expenditure",
        [
            (
                fund_id,
                e.id,
                e.date.isoformat(),
                e.description,
                e.payee,
                e.purpose,
                e.phase,
                *_money(e.amount, e.currency),
                e.currency,
                _text(e.rate.value) if e.rate is not None else None,
                *_money(e.chf, "CHF"),
                _text(e.support_rate),
                *_money(e.support, "CHF"),
                *_where(ledger, spent.get(e.id)),
            )
            for e in position.spending.expenditures
        ],
    )
    facilities = {f.id: f for f in ledger.loan_facilities}
    yield (
        "loan_facilities",
        [
            (
                fund_id,
                loan.id,
                loan.lender_id,
                *_money(loan.ceiling, "CHF"),
                loan.phase,
                *_where(ledger, facilities.get(loan.id)),
            )
            for loan in position.loans
        ],
    )
    drawings = {d.id: d for d in ledger.loan_drawings}
    repayments = {r.id: r for r in ledger.loan_repayments}
    moves = [(loan, move) for loan in position.loans for move in loan.movements]
    yield (
        "loan_drawings",
        [
            (
                fund_id,
                m.id,
                loan.id,
                m.date.isoformat(),
                *_money(m.amount, "CHF"),
                m.use,
                *_where(ledger, drawings.get(m.id)),
            )
            for loan, m in moves
            if m.drawn
        ],
    )
    yield (
        "loan_repayments",
        [
            (
                fund_id,
                m.id,
                loan.id,
                m.date.isoformat(),
                *_money(m.amount, "CHF"),
                *_where(ledger, repayments.get(m.id)),
            )
            for loan, m in moves
            if not m.drawn
        ],
    )
    seconded = {s.id: s for s in ledger.seconded}
    yield (
        "secondments",
        [
            (
                fund_id,
                s.id,
                s.donor_id,
                s.full_time,
                s.part_time,
                s.paid_by,
                *_where(ledger, seconded.get(s.id)),
            )
            for s in position.seconded
        ],
    )
    provided = {f.id: f for f in ledger.facilities}
    yield (
        "facilities",
        [
            (fund_id, f.id, f.donor_id, "; ".join(f.items), *_where(ledger, provided.get(f.id)))
            for f in position.facilities
        ],
    )
    staff = {s.id: s for s in ledger.staff}
    yield (
        "staff",
        [
            (fund_id, s.id, s.donor_id, s.full_time, s.part_time, *_where(ledger, staff.get(s.id)))
            for s in position.staff
        ],
    )
    yield (
        "purposes",
        [
            (fund_id, p.purpose, p.depth, *_money(p.received, "CHF"), *_money(p.pledged, "CHF"))
            for p in position.purposes
        ],
    )


def _entry(row: EntryRow) -> Row:
    original = row.amount is not None and row.currency is not None
    amount = row.amount if original else None
    rate = row.rate
    return (
        row.id,
        row.donor_id,
        row.dated_by.isoformat() if row.dated_by else None,
        "entry" if row.date is not None else ("statement" if row.dated_by else None),
        *_money(amount, row.currency or "CHF"),
        row.currency if original else "CHF",
        _text(rate.value) if rate is not None else None,
        rate.basis if rate is not None else None,
        *_money(row.chf, "CHF"),
        row.purpose,
        row.phase,
    )


def _pledge(fund_id: str, row: EntryRow, records: Mapping[str, Record], ledger: Ledger) -> Row:
    standing = row.standing
    cancelled = standing.cancelled_on if standing is not None else None
    return (
        fund_id,
        *_entry(row),
        standing.status if standing is not None else None,
        *_money(row.counted, "CHF"),
        cancelled.isoformat() if cancelled else None,
        _statement_of(records, row.id),
        *_where(ledger, records.get(row.id)),
    )


def _withdrawn(position: Position, pledge_id: str) -> Decimal | None:
    for row in position.cancelled_pledges:
        if row.id == pledge_id and row.standing is not None:
            return row.standing.withdrawn_chf
    return None


def _statement_of(records: Mapping[str, Record], entry_id: str) -> str | None:
    record = records.get(entry_id)
    return getattr(record, "statement", None) if record is not None else None


def _where(ledger: Ledger, record: Record | None) -> tuple[str | None, int | None]:
    if record is None or record.place.source is None:
        return None, None
    path = record.place.path
    try:
        shown = path.relative_to(ledger.root)
    except ValueError:
        shown = Path(path.name)
    return shown.as_posix(), record.place.line


def _money(amount: Decimal | None, currency: str) -> tuple[str | None, int | None]:
    """The exact text and the whole number of minor units (None where there is no amount)."""
    if amount is None:
        return None, None
    minor = amount.scaleb(money.minor_unit(currency))
    if minor != minor.to_integral_value():
        raise ValueError(f"{amount} {currency} is not a whole number of minor units")
    return _text(amount), int(minor)


def _text(value: Decimal | None) -> str | None:
    return money.format_amount(value) if value is not None else None


def fund_ids(existing: bytes) -> list[str]:
    """The funds a database holds (for messages and tests)."""
    connection = sqlite3.connect(":memory:")
    try:
        connection.deserialize(existing)
        return [row[0] for row in connection.execute("SELECT fund_id FROM funds ORDER BY fund_id")]
    finally:
        connection.close()


def _printed(figure: Decimal | StatedBound | None) -> str | None:
    """A printed total as text: its amount, or a bound in words (`more than 1 300 000`)."""
    return figure.words() if isinstance(figure, StatedBound) else _text(figure)

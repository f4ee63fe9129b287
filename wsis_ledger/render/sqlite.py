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

import re
import sqlite3
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path

from wsis_ledger.compute.position import EntryRow, Position
from wsis_ledger.core import money
from wsis_ledger.core.ledger import Ledger
from wsis_ledger.core.models import Names, Record, StatedBound
from wsis_ledger.render import provenance
from wsis_ledger.render.json_out import not_stated_totals
from wsis_ledger.render.sqlite_schema import OTHER_LANGUAGES, SCHEMA_VERSION, TABLES, schema_sql


class SchemaMismatch(ValueError):
    """The file is a database of another schema, or the fund's id would not fit it:
    it is not added to."""


def sqlite(
    position: Position, ledger: Ledger, fund_id: str | None = None, existing: bytes | None = None
) -> bytes:
    """The database holding `position` (and, from `existing`, every other fund it held)."""
    fund_id = fund_id or position.fund_id
    if not FUND_ID.fullmatch(fund_id):
        raise SchemaMismatch(
            f"{fund_id!r} is not a fund id (letters, digits, and . _ - inside; no spaces)"
        )
    connection = sqlite3.connect(":memory:")
    try:
        if existing:
            connection.deserialize(existing)
            _same_schema(connection)
            _not_another_spelling(connection, fund_id)
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


#: A fund's id in the database: as a ledger's ids are, without the '/' of purposes.
FUND_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def _not_another_spelling(connection: sqlite3.Connection, fund_id: str) -> None:
    """Two spellings of one fund id (`wsis`, `WSIS`) would be two funds: refuse the second."""
    for (other,) in connection.execute("SELECT fund_id FROM funds"):
        if other != fund_id and other.casefold() == fund_id.casefold():
            raise SchemaMismatch(
                f"the database holds the fund {other!r}: {fund_id!r} differs only in case; "
                f"export with --fund-id {other}"
            )


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
        [
            (
                *(fund_id, fund.name.en, fund.name.zh, as_of, made.stamp, made.tool, made.version),
                *_other_languages(fund.name),
                ",".join(not_stated_totals(position)) or None,
            )
        ],
    )
    yield (
        "donors",
        [
            (
                *(fund_id, d.id, d.name.en, d.name.zh, d.kind, d.iati_id, *_where(ledger, d)),
                *_other_languages(d.name),
            )
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
                *_other_languages(s.title),
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
    moved: dict[tuple[str, str], Record] = {
        **{("other_income", r.id): r for r in ledger.other_income},
        **{("refunds", r.id): r for r in ledger.refunds},
        **{("bank_charges", r.id): r for r in ledger.bank_charges},
    }
    yield (
        "cash_movements",
        [
            (
                fund_id,
                m.id,
                m.kind,
                m.income_kind,
                m.date.isoformat(),
                m.donor_id,
                m.receipt,
                m.description,
                *_money(m.amount, m.currency),
                m.currency,
                _text(m.rate.value) if m.rate is not None else None,
                *_money(m.chf, "CHF"),
                *_where(ledger, moved.get((m.kind, m.id))),
            )
            for m in position.movements.rows
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
        row.signed_on.isoformat() if row.signed_on else None,
    )


def _withdrawn(position: Position, pledge_id: str) -> Decimal | None:
    for row in position.cancelled_pledges:
        if row.id == pledge_id and row.standing is not None:
            return row.standing.withdrawn_chf
    return None


def _statement_of(records: Mapping[str, Record], entry_id: str) -> str | None:
    record = records.get(entry_id)
    return getattr(record, "statement", None) if record is not None else None


def _other_languages(name: Names) -> tuple[str | None, ...]:
    """A name in French, Spanish, Russian and Arabic, each where the ledger gives it
    (else null: never the English in its place, never a translation)."""
    return tuple(name.given(lang) for lang in OTHER_LANGUAGES)


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

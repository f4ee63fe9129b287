"""The fund's accounts laid out once: statements of rows and notes of small tables.

`statements(accounts)` lays the accounts out as statements of rows (sources
and uses; position at the period's end) and `notes(accounts)` as notes of small
tables; every format writes that layout, one module a writer
(`accounts_text`: table, Markdown, CSV and JSON; `accounts_html`: the HTML
document to sign, which `render.pdf` prints; `accounts_xlsx`: Excel), so no
two formats can show different lines. The writers only format: the figures
are `compute.accounts`'. A figure the ledger cannot state (the report's rule:
no cash without recorded expenditure, no loans without a recorded drawing) is
None in a row, shown as "not stated" and null, never as zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from wsis_ledger.compute.accounts import Accounts
from wsis_ledger.core import money
from wsis_ledger.core.language import day, translate
from wsis_ledger.core.language import number as figure
from wsis_ledger.render.accounts_words import WORDS
from wsis_ledger.render.labels import listed

FORMATS = ("table", "markdown", "csv", "json", "html", "xlsx", "pdf")


@dataclass(frozen=True)
class Row:
    """A line of a statement: its stable key, its label, a figure per column (None: a
    heading without figures), and how it is shown (`heading`, `line`, `total`)."""

    key: str
    label: str
    #: A figure per column; None for a figure that cannot be stated.
    values: tuple[Decimal | None, ...] | None
    style: str = "line"
    depth: int = 0


@dataclass(frozen=True)
class Statement:
    key: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Note:
    key: str
    title: str
    text: tuple[str, ...] = ()
    headers: tuple[str, ...] = ()
    #: Each row's cells: text, or a Decimal shown as an amount.
    rows: tuple[tuple[str | Decimal | None, ...], ...] = ()
    amounts: frozenset[int] = field(default_factory=frozenset)


def words(lang: str) -> dict[str, str]:
    """Every word of the accounts in `lang` (the catalogs' `accounts_*` keys)."""
    return {key: translate(message, lang) for key, message in WORDS.items()}


def statements(accounts: Accounts) -> tuple[Statement, Statement]:
    """Sources and uses, and the position at the period's end, as rows (a figure that
    cannot be stated: None)."""
    sources, position = _statements(accounts)
    return _with_unknown(sources, accounts), _with_unknown(position, accounts)


def _with_unknown(statement: Statement, accounts: Accounts) -> Statement:
    """`statement` with None for each figure that cannot be stated (`figure_stated`: its
    line, its column, an opening at a start the source does not give)."""
    rows = tuple(
        row
        if row.values is None
        else Row(
            row.key,
            row.label,
            tuple(
                value if accounts.figure_stated(row.key, i) else None
                for i, value in enumerate(row.values)
            ),
            row.style,
            row.depth,
        )
        for row in statement.rows
    )
    return Statement(statement.key, statement.title, statement.columns, rows)


def _statements(accounts: Accounts) -> tuple[Statement, Statement]:
    w = words(accounts.lang)
    flows = [
        Row("opening", w["opening"], accounts.opening, "total"),
        Row("sources", w["sources"], None, "heading"),
        *(_row(line.key, line.label, line.values, line.depth) for line in accounts.sources),
        Row("total_sources", w["total_sources"], accounts.total_sources, "total"),
        Row("uses", w["uses"], None, "heading"),
        *(_row(line.key, line.label, line.values, line.depth) for line in accounts.uses),
        Row("total_uses", w["total_uses"], accounts.total_uses, "total"),
        Row("change", w["change"], accounts.change, "total"),
        Row("closing", w["closing"], accounts.closing, "total"),
    ]
    p = accounts.position

    def one(value: Decimal) -> tuple[Decimal, ...]:
        return (value,)

    position_rows = [
        Row("assets", w["assets"], None, "heading"),
        Row("cash", w["cash"], one(p.cash)),
        Row("receivable", w["receivable"], one(p.receivable)),
        Row("total_assets", w["total_assets"], one(p.assets), "total"),
        Row("liabilities", w["liabilities"], None, "heading"),
        Row("loans_payable", w["loans_payable"], one(p.loans_payable)),
        Row("total_liabilities", w["total_liabilities"], one(p.liabilities), "total"),
        Row("net_assets", w["net_assets"], None, "heading"),
        *(
            Row(f"restricted:{purpose}", w["restricted"].format(purpose=purpose), one(amount))
            for purpose, amount in p.restricted
        ),
        Row("unrestricted", w["unrestricted"], one(p.unrestricted)),
        Row("total_net_assets", w["total_net_assets"], one(p.net_assets), "total"),
        Row(
            "liabilities_net_assets",
            w["liabilities_net_assets"],
            one(p.liabilities + p.net_assets),
            "total",
        ),
    ]
    return (
        Statement(
            "sources_uses",
            w["sources_uses"],
            tuple(c.label for c in accounts.columns),
            tuple(flows),
        ),
        Statement(
            "position",
            w["position"].format(date=day(accounts.end, accounts.lang)),
            (accounts.end.isoformat(),),
            tuple(position_rows),
        ),
    )


def _row(key: str, label: str, values: tuple[Decimal, ...], depth: int) -> Row:
    return Row(key, label, values, "line", depth)


def notes(accounts: Accounts) -> tuple[Note, ...]:
    """The notes: basis, pledges not counted, in kind, differences, rates, loan drawings."""
    w = words(accounts.lang)
    n = accounts.notes
    basis = [w["basis_cash"] if n.basis == "cash" else w["basis_accrual"], w["basis_ipsas"]]
    if n.basis_default:
        basis.append(w["basis_default"])
    received, contributions, gains, losses = n.received
    if gains or losses:  # the report's received, reconciled with the lines above
        basis.append(
            w["received_reconciled"].format(
                **{
                    k: figure(v, accounts.lang)
                    for k, v in (
                        ("received", received),
                        ("contributions", contributions),
                        ("gains", gains),
                        ("losses", losses),
                    )
                }
            )
        )
    for purpose, chf in n.refunded:  # a refund of restricted money: the purpose's
        basis.append(
            w["refunded_restricted"].format(purpose=purpose, chf=figure(chf, accounts.lang))
        )
    kinds = {k: w[k] for k in ("seconded", "facilities", "staff", "direct_support")}
    from wsis_ledger.render.layout import controls_text

    controlled = controls_text(accounts.controls, accounts.lang)
    unknown = tuple(w[f"not_stated_{why}"] for why in accounts.not_stated_because)
    unknown += _cumulative_text(accounts)
    return (
        Note("basis", w["basis_note"], tuple(basis)),
        *([Note("not_stated", w["not_stated_note"], unknown)] if unknown else []),
        *([Note("controls", w["controls_note"], controlled)] if controlled else []),
        Note(
            "pledges",
            w["pledges_note"],
            headers=(w["pledge"], w["donor"], w["outstanding"], w["signed"]),
            rows=tuple(
                (p.id, p.donor, p.outstanding, _signed(p.signed, p.signed_stated, w))
                for p in n.pledges
            ),
            amounts=frozenset({2}),
        ),
        Note(
            "in_kind",
            w["in_kind_note"],
            headers=(w["kind"], w["donor"], w["what"], w["value"]),
            rows=tuple(
                (
                    kinds[i.kind],
                    i.donor,
                    i.what,
                    i.value if i.value is not None else w["not_valued"],
                )
                for i in n.in_kind
            ),
            amounts=frozenset({3}),
        ),
        Note(
            "differences",
            w["differences_note"],
            headers=(
                w["statement"],
                w["total"],
                w["printed"],
                w["computed"],
                w["difference"],
                w["acknowledged"],
            ),
            rows=tuple(
                (
                    d.statement,
                    d.total + (f" ({d.purpose})" if d.purpose else ""),
                    d.printed,
                    d.computed,
                    d.difference,
                    (
                        f"{d.acknowledged_on.isoformat()}: {d.note or ''}".rstrip(": ")
                        if d.acknowledged_on
                        else w["not_acknowledged"]
                    ),
                )
                for d in n.differences
            ),
            amounts=frozenset({2, 3, 4}),
        ),
        Note(
            "rates",
            w["rates_note"],
            headers=(w["currency"], w["rate"], w["rate_basis"], w["source"]),
            rows=tuple(
                (r.currency, money.format_amount(r.rate), r.basis, r.source or "") for r in n.rates
            ),
        ),
        Note(
            "drawings",
            w["drawings_note"],
            headers=(w["drawing"], w["facility"], w["lender"], w["date"], w["amount"], w["use"]),
            rows=tuple(
                (d.id, d.facility, d.lender, d.date.isoformat(), d.amount, d.use or "")
                for d in n.drawings
            ),
            amounts=frozenset({4}),
        ),
    )


def _cumulative_text(accounts: Accounts) -> tuple[str, ...]:
    """What the notes say of the columns a cumulative position leaves without a start
    (their opening not stated) or without any figure (they end before its date)."""
    w, lang = words(accounts.lang), accounts.lang
    on = accounts.cumulative_on
    if on is None:
        return ()
    text = []
    from_start = [c.label for c in accounts.columns if c.unknown_start]
    if from_start:
        columns = listed(from_start, lang)
        text.append(w["not_stated_start"].format(date=day(on, lang), columns=columns))
    before = [c.label for c in accounts.columns if not c.stated]
    if before:
        columns = listed(before, lang)
        text.append(w["not_stated_before"].format(date=day(on, lang), columns=columns))
    return tuple(text)


def _signed(signed: bool, stated: bool, w: dict[str, str]) -> str:
    """Yes, no, or "not stated" where the source says nothing of an agreement."""
    return w["yes"] if signed else w["no"] if stated else w["not_stated"]


def period_line(accounts: Accounts) -> str:
    """`for the period START to END`; where the period holds a cumulative position whose
    start the source does not give, it says so (`Column.unknown_start`)."""
    w, lang = words(accounts.lang), accounts.lang
    if accounts.columns[-1].unknown_start:
        return w["period_cumulative"].format(
            end=day(accounts.end, lang), start=day(accounts.start, lang)
        )
    return w["period"].format(start=day(accounts.start, lang), end=day(accounts.end, lang))


def render_accounts(accounts: Accounts, fmt: str) -> bytes:
    """The accounts as `table`, `markdown`, `csv`, `json`, `html` or `xlsx` (the writer
    of each); a PDF is the HTML printed (`render.pdf`)."""
    from wsis_ledger.render import accounts_html, accounts_text

    if fmt == "xlsx":
        from wsis_ledger.render.accounts_xlsx import xlsx

        return xlsx(accounts)
    if fmt == "html":
        return accounts_html.html(accounts).encode("utf-8")
    return accounts_text.text_format(accounts, fmt).encode("utf-8")


def figure_cells(values: tuple[Decimal | None, ...] | None, width: int, lang: str) -> list[str]:
    """A row's figures as a table shows them: grouped by thousands as `lang` groups them,
    "not stated" where there is none, nothing for a heading."""
    if values is None:
        return [""] * width
    unknown = words(lang)["not_stated"]
    return [figure(v, lang) if v is not None else unknown for v in values]

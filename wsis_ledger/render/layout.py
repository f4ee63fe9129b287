"""The position laid out once: sections of rows and columns that every tabular writer uses.

`layout(position)` decides which sections there are, which columns each has,
what each cell holds and which rows are totals; the writers (`text` for the
terminal and Markdown, `html`, `xlsx`) only decide how a cell looks. A column
added here appears in every one of them.

Cells keep their kind: a CHF amount is a `Decimal`, an original amount a
`Money`, a rate a `Rate`, a share a `Percent`, a count an `int`. Text writers
print them with `cell_text`; Excel writes numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from wsis_ledger.compute.conversion import Rate
from wsis_ledger.compute.position import EntryRow, LoanRow, Position
from wsis_ledger.compute.spending import LineRow
from wsis_ledger.core import money

LABELS: dict[str, tuple[str, str]] = {
    "id": ("Id", "编号"),
    "donor": ("Donor", "捐款方"),
    "original": ("Original", "原币金额"),
    "rate": ("Rate (CHF per unit)", "汇率（瑞士法郎/单位）"),
    "chf": ("CHF", "瑞士法郎"),
    "settled_chf": ("Settled (CHF at booking)", "已结清（按入账汇率，瑞士法郎）"),
    "outstanding_chf": ("Outstanding (CHF)", "未付（瑞士法郎）"),
    "status": ("Status", "状态"),
    "lender": ("Lender", "贷款方"),
    "ceiling": ("Up to (CHF)", "高达（瑞士法郎）"),
    "seconded_by": ("Seconded by", "派出机构"),
    "experts": ("Experts", "专家"),
    "part_time": ("part-time", "兼职"),
    "salaries_paid_by": ("salaries paid by", "工资负担方"),
    "provided_by": ("Provided by", "提供方"),
    "items": ("What", "内容"),
    "full_time": ("Full-time", "全职人员"),
    "part_time_staff": ("Part-time", "兼职人员"),
    "units": ("Other", "其它"),
    "what": ("What", "内容"),
    "total": ("Total", "合计"),
    "as_of": ("as of", "截止至"),
    "received": ("Received", "收到捐款"),
    "pledged": ("Pledged", "承诺款额"),
    "received_and_pledged": ("Received and pledged", "已收到和承诺款项合计"),
    "exchange_difference": ("Exchange difference on payments", "付款汇兑差额"),
    "budget": ("Budget estimate", "经费概算"),
    "coverage": ("Coverage of the estimate", "占概算的比例"),
    "gap": ("Still to find", "资金缺口"),
    "surplus": ("Beyond the estimate", "超出概算"),
    "loan_ceiling": ("Loan ceiling (not money received)", "借款上限（非已收款项）"),
    "loans_outstanding": ("Loans outstanding", "未还借款"),
    "cash": ("Cash (received, plus loans outstanding)", "现金（已收款加未还借款）"),
    "experts_summary": ("Seconded experts: full-time / part-time", "借调专家：全职/兼职"),
    "direct": ("Direct support outside the fund", "基金以外的直接支持"),
    "derived": ("derived", "推算"),
    "cancelled": ("Cancelled, not counted", "已撤销，不计入"),
    "phase": ("Phase", "阶段"),
    "drawn": ("Drawn", "已借"),
    "repaid": ("Repaid", "已还"),
    "outstanding": ("Outstanding", "未还"),
    "purpose": ("Purpose", "用途"),
    "purposes": ("By purpose", "按用途"),
    "no_purpose": ("(no purpose stated)", "（未指定用途）"),
    "reassigned": (
        "reassigned to the stated use with the donor's agreement",
        "经捐款方同意改作所述用途",
    ),
    # Expenditure and the fund balance (compute.spending).
    "expenditure_heading": ("Expenditure", "支出"),
    "expenditures": ("Expenditures", "支出明细"),
    "earmarks": ("By purpose: received, spent and left", "按用途：收到、支出和余额"),
    "budget_lines": ("Budget against actual", "预算与实际支出"),
    "fund_balance": ("Fund balance", "基金余额"),
    "date": ("Date", "日期"),
    "description": ("Description", "说明"),
    "payee": ("Payee", "收款方"),
    "expenditure": ("Expenditure", "支出"),
    "support_costs": ("Programme support costs", "项目支助费用"),
    "balance": ("Balance", "余额"),
    "budget_line": ("Budget line", "预算项目"),
    "line_budget": ("Budget", "预算"),
    "lines_total": ("Budget lines", "预算项目合计"),
    "remaining": ("Remaining", "剩余"),
    "percent_used": ("Used", "已用"),
    "outside_lines": ("Outside the budget lines", "预算项目以外"),
    "cash_balance": ("Cash (fund balance, plus loans outstanding)", "现金（基金余额加未还借款）"),
    "pledges_apart": ("Pledges outstanding (promises, not cash)", "未付承诺款额（承诺，非现金）"),
    "no_expenditure": (
        "No expenditure is recorded in this ledger: what the fund spent cannot be stated from it.",
        "本账簿未记录任何支出：无法据此说明基金的支出。",
    ),
    "no_fund_balance": (
        "No expenditure is recorded in this ledger, so no fund balance is stated.",
        "本账簿未记录任何支出，因此不说明基金余额。",
    ),
    "no_support_rate": (
        "The fund states no support cost rate: no support costs are charged.",
        "基金未规定支助费用比率：不收取支助费用。",
    ),
    "note": ("Note", "注"),
    "reading_mark": (
        "† the ledger's reading of the name the source prints, not the source's own words",
        "† 本账簿对原文名称的解读，并非原文",
    ),
    "not_attributed": (
        "no contributions are attributed to it",
        "没有捐款被注明用于该阶段",
    ),
    "no_drawings": ("no drawings recorded", "未记录提款"),
    "differences": (
        "Printed totals that differ from their rows",
        "与明细不符的印刷合计",
    ),
    "statement": ("Statement", "报表"),
    "stated": ("Printed", "印刷数字"),
    "computed": ("Rows add up to", "明细合计"),
    "difference": ("Difference", "差额"),
    "state": ("State", "状态"),
    "sources": ("Sources", "来源"),
    "source": ("Source", "来源"),
    "history": ("At each statement's date", "各报表日期的情况"),
    "item": ("Item", "项目"),
    "detail": ("Detail", "详情"),
    "reading_short": (
        "† the ledger's reading, not the source's words.",
        "† 本账簿的解读，并非原文。",
    ),
    # The `donor` and `pledges` tables.
    "kind": ("Kind", "类别"),
    "amount": ("Amount", "金额"),
    "currency": ("Currency", "货币"),
    "paid": ("Paid", "已付"),
    "paid_chf": ("Paid (CHF)", "已付（瑞士法郎）"),
    "remaining_chf": ("Remaining (CHF)", "剩余（瑞士法郎）"),
    "age_days": ("Age (days)", "账龄（天）"),
    "age_from": ("Aged from", "账龄起算"),
    "age_band": ("Age band", "账龄段"),
    "pledge_count": ("Pledges", "承诺笔数"),
    "exchange_difference_chf": ("Exchange difference (CHF)", "汇兑差额（瑞士法郎）"),
    "reference_rate": ("Reference rate (CHF per unit)", "参考汇率（瑞士法郎/单位）"),
    "reference_date": ("Reference date", "参考日期"),
    "revalued_chf": ("Revalued (CHF)", "重估（瑞士法郎）"),
    "revaluation": ("Revaluation (CHF)", "重估差额（瑞士法郎）"),
    "percent_used_pct": ("Used (%)", "已用（%）"),
    "used_by": ("Used by", "使用方"),
    "basis": ("Basis", "依据"),
    "which_total": ("Total", "合计"),
    "entry": ("Entry", "条目"),
    "deviation_percent": ("Deviation (%)", "偏差（%）"),
    "chf_at_reference": ("At the reference rate", "按参考汇率"),
    "within_before": ("Within tolerance before", "此前符合容差之日"),
    "within_after": ("Within tolerance after", "此后符合容差之日"),
    "figure": ("Figure", "数字"),
    "none_recorded": ("None recorded.", "无记录。"),
}

#: Words a table shows as values (a status, a kind of row, an age band), in Chinese.
#: CSV and JSON keep them in English: they are part of those stable interfaces.
VALUES_ZH: dict[str, str] = {
    "received": "收到捐款",
    "pledged": "承诺款额",
    "seconded": "借调",
    "facilities": "设施",
    "staff": "工作人员",
    "direct support": "直接支持",
    "loan facility": "借款",
    "loan drawing": "提款",
    "loan repayment": "还款",
    "salaries paid": "负担工资",
    "open": "未付",
    "partly paid": "部分已付",
    "paid": "已付",
    "cancelled": "已撤销",
    "statement": "报表",
    "pledge": "承诺",
    "experts": "专家",
    "up to 90 days": "90天以内",
    "91-180 days": "91-180天",
    "181-365 days": "181-365天",
    "over a year": "一年以上",
    "total": "合计",
    "part-time": "兼职",
    # Donor kinds (the ledger's classification), as a Chinese reader would name them.
    "government": "政府",
    "un-system": "联合国系统",
    "intergovernmental": "政府间组织",
    "private-sector": "私营部门",
    "civil-society": "民间团体",
    "administrator": "基金管理机构",
    "unspecified": "未说明",
}

#: Currencies by the source's own words for them (the annex: "62 691 030日元",
#: "500美元", "170 000欧元", "1 000 000加元", "瑞士法郎"); others keep their ISO code.
CURRENCY_ZH: dict[str, str] = {
    "JPY": "日元",
    "USD": "美元",
    "EUR": "欧元",
    "CAD": "加元",
    "CHF": "瑞士法郎",
}


def currency_name(code: str, lang: str) -> str:
    """A currency as an output in `lang` names it: the source's word in Chinese, else its code."""
    return CURRENCY_ZH.get(code, code) if lang == "zh" else code


def money_text(amount: Decimal, code: str, lang: str) -> str:
    """`62 691 030 JPY`, or as the source prints it in Chinese, `62 691 030日元`."""
    if lang == "zh":
        return f"{money.group_thousands(amount)}{currency_name(code, lang)}"
    return f"{money.group_thousands(amount)} {code}"


def experts_text(count: int, lang: str) -> str | int:
    """A count of experts: in Chinese as the source prints it (`3名专家`), else the number."""
    return f"{count}名专家" if lang == "zh" else count


VALUES_ZH.update(CURRENCY_ZH)


def table_values(
    rows: Sequence[dict[str, object]], columns: Sequence[str], lang: str
) -> list[dict[str, object]]:
    """`rows` with the words of `columns` as a table in `lang` shows them."""
    if lang != "zh":
        return [dict(row) for row in rows]
    return [
        {
            k: VALUES_ZH.get(v, v) if k in columns and isinstance(v, str) else v
            for k, v in row.items()
        }
        for row in rows
    ]


#: The unit a CHF amount's column or summary label ends with.
CHF_UNIT = (" (CHF)", "（瑞士法郎）")

#: Marks a name that is the ledger's reading, not the source's words.
READING_MARK = "†"


def label(key: str, lang: str) -> str:
    """A column or summary label in `lang`."""
    en, zh = LABELS[key]
    return zh if lang == "zh" else en


def field_headings(fields: dict[str, str], lang: str) -> dict[str, str]:
    """The headings of a table of named fields (`field: its label's key`): each field's
    label, a CHF amount's with its currency, as the report heads the same columns."""
    return {
        field: amount_label(key, lang) if key in CHF_AMOUNTS else label(key, lang)
        for field, key in fields.items()
    }


def in_chf(text: str, lang: str) -> str:
    """A label that says its figures are CHF amounts."""
    return text + CHF_UNIT[1 if lang == "zh" else 0]


def amount_label(key: str, lang: str) -> str:
    """The label of a column of CHF amounts, with its currency (once)."""
    text = label(key, lang)
    return text if "CHF" in text or "瑞士法郎" in text else in_chf(text, lang)


@dataclass(frozen=True)
class Money:
    """An amount in its own currency (an entry's original amount)."""

    amount: Decimal
    currency: str


@dataclass(frozen=True)
class Percent:
    value: Decimal


Cell = str | int | Decimal | Money | Rate | Percent | None
Role = Literal["item", "subtotal", "total"]


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    numeric: bool = False


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    role: Role = "item"
    #: The level of a nested row (a purpose inside another): writers indent by it.
    depth: int = 0


@dataclass(frozen=True)
class Section:
    """A heading, and (unless it only heads the sections below it) a table and notes."""

    key: str
    heading: str
    level: int
    columns: tuple[Column, ...] = ()
    rows: tuple[Row, ...] = ()
    notes: tuple[str, ...] = ()

    def column(self, key: str) -> int:
        """The index of the column `key`."""
        return next(i for i, c in enumerate(self.columns) if c.key == key)


#: A derived rate (booked CHF / amount) has as many digits as the division gives:
#: a table shows this many significant ones; JSON, CSV and Excel keep them all.
RATE_DIGITS = 6


def cell_text(cell: Cell, lang: str, *, exact: bool = False) -> str:
    """A cell as a person reads it: amounts grouped by thousands, rates with their basis
    (a derived rate to `RATE_DIGITS` significant digits, unless `exact`)."""
    if cell is None:
        return ""
    if isinstance(cell, Decimal):
        return money.group_thousands(cell)
    if isinstance(cell, Money):
        return money_text(cell.amount, cell.currency, lang)
    if isinstance(cell, Rate):
        if cell.basis != "derived":
            return money.format_amount(cell.value)
        value = cell.value if exact else money.significant(cell.value, RATE_DIGITS)
        return f"{money.format_amount(value)} ({label('derived', lang)})"
    if isinstance(cell, Percent):
        return f"{money.format_amount(cell.value)} %"
    return str(cell)


def layout(position: Position) -> tuple[Section, ...]:
    """Every section the report shows, in order."""
    lang, headings = position.lang, position.headings
    sections = []
    if any(s.differences for s in position.statements):
        sections.append(_differences(position))
    sections += [
        Section("contributions", headings["contributions"], 2),
        _entries(position, "received"),
        _entries(position, "pledged"),
    ]
    if position.purposes:
        sections.append(_purposes(position))
    sections += [
        _loans(position),
        _seconded(position),
        _simple(
            "facilities",
            headings["facilities"],
            ("provided_by", "items"),
            [(r.donor, _join(r.items, lang)) for r in position.facilities],
            lang,
        ),
        _staff(position),
    ]
    if position.direct_support:
        sections.append(
            _simple(
                "direct_support",
                headings["direct_support"],
                ("donor", "what", "chf"),
                [(r.donor, r.what, r.chf) for r in position.direct_support],
                lang,
            )
        )
    sections += spending_sections(position)
    sections.append(
        Section(
            "summary",
            headings["summary"],
            2,
            (Column("item", label("item", lang)), Column("value", label("figure", lang), True)),
            tuple(Row(_with_unit(cells, lang)) for cells in summary_cells(position)),
            position.notes + position.section_notes.get("summary", ()),
        )
    )
    if position.statements:
        sections.append(_sources(position))
    return tuple(_none_recorded(section, lang) for section in sections)


def _with_unit(cells: tuple[str, Cell], lang: str) -> tuple[str, Cell]:
    """A summary row whose label says the figure's unit where it is a CHF amount (a share
    shows `%` itself, a sentence needs none)."""
    name, figure = cells
    return (in_chf(name, lang) if isinstance(figure, Decimal) else name), figure


def _none_recorded(section: Section, lang: str) -> Section:
    """A section whose table would hold no entries says so instead (a total of nothing
    is not shown): every writer gets the same sentence."""
    if not section.columns or any(row.role == "item" for row in section.rows):
        return section
    notes = (label("none_recorded", lang), *section.notes)
    return Section(section.key, section.heading, section.level, notes=notes)


def _differences(position: Position) -> Section:
    """The printed totals that differ from their rows and are not acknowledged."""
    lang = position.lang
    keys = ("statement", "total", "stated", "computed", "difference")
    rows = [
        Row(
            (
                s.id,
                label(f.total if f.total != "total" else "received_and_pledged", lang)
                + (f" ({f.purpose})" if f.purpose else ""),
                f.stated,
                f.computed,
                f"{f.difference:+f}",
            )
        )
        for s in position.statements
        for f in s.differences
    ]
    amounts = {"stated", "computed", "difference"}
    columns = tuple(
        Column(k, amount_label(k, lang) if k in amounts else label(k, lang), k in amounts)
        for k in keys
    )
    return Section("differences", label("differences", lang), 2, columns, tuple(rows))


def _sources(position: Position) -> Section:
    """Each statement the figures come from: its date and its source."""
    lang = position.lang
    columns = (
        Column("statement", label("statement", lang)),
        Column("as_of", label("as_of", lang)),
        Column("source", label("source", lang)),
    )
    rows = tuple(
        Row((f"{s.title} ({s.id})", s.as_of.isoformat(), s.source)) for s in position.statements
    )
    return Section("sources", label("sources", lang), 2, columns, rows)


def _entries(position: Position, key: Literal["received", "pledged"]) -> Section:
    lang = position.lang
    rows = position.receipts if key == "received" else position.pledges
    paying = key == "pledged" and any(r.standing and r.standing.payments for r in position.pledges)
    keys = ["#", "donor", "original", "rate", "chf"]
    if paying:
        keys += ["settled_chf", "outstanding_chf"]
    if position.purposes:
        keys.append("purpose")
    if any(r.note for r in rows):
        keys.append("note")
    columns = tuple(_column(k, lang) for k in keys)

    def cells(n: int, row: EntryRow) -> dict[str, Cell]:
        original = Money(row.amount, row.currency) if row.amount and row.currency else None
        shown_rate = row.rate if row.rate and row.rate.basis != "same-currency" else None
        return {
            "#": n,
            "donor": f"{row.donor} {READING_MARK}" if row.reading else row.donor,
            "original": original,
            "rate": shown_rate,
            "chf": row.chf,
            "settled_chf": row.standing.settled_chf if row.standing else None,
            "outstanding_chf": row.outstanding,
            "purpose": purpose_text(row, lang),
            "note": row.note,
        }

    body = [Row(_pick(cells(n, row), keys)) for n, row in enumerate(rows, 1)]
    total = position.totals.received if key == "received" else position.totals.pledged
    total_cells: dict[str, Cell] = {"donor": position.headings[f"{key}_total"]}
    total_cells["outstanding_chf" if paying else "chf"] = total
    body.append(Row(_pick(total_cells, keys), "total"))
    notes = cancelled_lines(position) if key == "pledged" else ()
    if any(r.reading for r in rows):
        notes += (label("reading_mark", lang),)
    notes += position.section_notes.get(key, ())
    return Section(key, position.headings[key], 3, columns, tuple(body), notes)


def _purposes(position: Position) -> Section:
    lang, totals = position.lang, position.totals
    keys = ("purpose", "received", "pledged", "total")
    rows = [
        Row((p.name or label("no_purpose", lang), p.received, p.pledged, p.total), depth=p.depth)
        for p in position.purposes
    ]
    rows.append(
        Row(
            (label("total", lang), totals.received, totals.pledged, totals.received_and_pledged),
            "total",
        )
    )
    columns = (
        Column("purpose", label("purpose", lang)),
        *(Column(k, amount_label(k, lang), numeric=True) for k in keys[1:]),
    )
    return Section("purposes", label("purposes", lang), 3, columns, tuple(rows))


def _loans(position: Position) -> Section:
    lang = position.lang
    keys = ["lender", "ceiling"]
    if any(r.phase for r in position.loans):
        keys.append("phase")
    if any(r.recorded for r in position.loans):
        keys += ["drawn", "repaid", "outstanding"]

    def cells(r: LoanRow) -> dict[str, Cell]:
        # A facility with no movement recorded: nothing known, not zero.
        return {
            "lender": r.lender,
            "ceiling": r.ceiling,
            "phase": r.phase,
            "drawn": r.drawn if r.recorded else None,
            "repaid": r.repaid if r.recorded else None,
            "outstanding": r.outstanding if r.recorded else None,
        }

    rows = tuple(Row(_pick(cells(r), keys)) for r in position.loans)
    columns = tuple(_column(k, lang) for k in keys)
    notes = tuple(
        f"{r.lender}: {label('no_drawings', lang)}" for r in position.loans if not r.recorded
    )
    notes += position.section_notes.get("loans", ())
    return Section("loans", position.headings["loans"], 2, columns, rows, notes)


def _seconded(position: Position) -> Section:
    # The rows as the statement gives them, with no total: the source prints none
    # (and does not say that the others are full-time).
    lang = position.lang
    rows = [
        Row(
            (
                r.donor,
                experts_text(r.full_time + r.part_time, lang),
                seconded_detail(r.part_time > 0, r.paid_by, lang),
            )
        )
        for r in position.seconded
    ]
    columns = (
        Column("seconded_by", label("seconded_by", lang)),
        Column("experts", label("experts", lang), numeric=lang != "zh"),
        Column("detail", label("detail", lang)),
    )
    notes = position.section_notes.get("seconded", ())
    return Section("seconded", position.headings["seconded"], 2, columns, tuple(rows), notes)


def _staff(position: Position) -> Section:
    lang = position.lang
    columns = (
        Column("donor", label("provided_by", lang)),
        Column("full_time", label("full_time", lang), numeric=True),
        Column("part_time", label("part_time_staff", lang), numeric=True),
        Column("units", label("units", lang)),
    )
    rows = tuple(
        Row((r.donor, r.full_time, r.part_time, _join(r.units, lang))) for r in position.staff
    )
    return Section("staff", position.headings["staff"], 2, columns, rows)


def _simple(
    key: str, heading: str, keys: Sequence[str], rows: Sequence[Sequence[Cell]], lang: str
) -> Section:
    columns = tuple(_column(k, lang) for k in keys)
    return Section(key, heading, 2, columns, tuple(Row(tuple(r)) for r in rows))


NUMERIC = {"#", "original", "rate", "chf", "settled_chf", "outstanding_chf", "ceiling"}
NUMERIC |= {"drawn", "repaid", "outstanding", "received", "pledged", "total"}


#: Columns of CHF amounts: their labels say so.
CHF_AMOUNTS = {"chf", "settled_chf", "outstanding_chf", "ceiling", "drawn", "repaid"}
CHF_AMOUNTS |= {"outstanding", "received", "pledged", "total", "expenditure", "support_costs"}
CHF_AMOUNTS |= {"balance", "line_budget", "remaining", "stated", "computed", "difference"}
CHF_AMOUNTS |= {"chf_at_reference"}


def _column(key: str, lang: str) -> Column:
    if key == "#":
        return Column(key, "#", numeric=True)
    text = amount_label(key, lang) if key in CHF_AMOUNTS else label(key, lang)
    return Column(key, text, numeric=key in NUMERIC)


def _pick(cells: dict[str, Cell], keys: Sequence[str]) -> tuple[Cell, ...]:
    return tuple(cells.get(k) for k in keys)


def _join(items: Sequence[str], lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(items)


def summary_cells(position: Position) -> list[tuple[str, Cell]]:
    """The summary: label and figure."""
    lang, totals, budget = position.lang, position.totals, position.budget
    rows: list[tuple[str, Cell]] = [
        (label("received", lang), totals.received),
        (label("pledged", lang), totals.pledged),
        (label("received_and_pledged", lang), totals.received_and_pledged),
    ]
    if any(r.standing and r.standing.payments for r in position.all_pledges):
        rows.append((label("exchange_difference", lang), totals.exchange_difference))
    if budget is not None:
        rows.append((f"{label('budget', lang)}: {budget.phase}", budget.estimate))
        if budget.coverage_percent is None or budget.gap is None:
            rows.append((label("coverage", lang), label("not_attributed", lang)))
        else:
            rows.append((label("coverage", lang), Percent(budget.coverage_percent)))
            gap_label = "gap" if budget.gap >= 0 else "surplus"
            rows.append((label(gap_label, lang), abs(budget.gap)))
    rows.append((label("loan_ceiling", lang), totals.loan_ceiling))
    if totals.loans_drawn:
        rows.append((label("loans_outstanding", lang), totals.loans_outstanding))
        cash_label = "cash_balance" if position.spending.recorded else "cash"
        rows.append((label(cash_label, lang), totals.cash))
    if totals.direct_support:
        rows.append((label("direct", lang), totals.direct_support))
    return rows


def cancelled_lines(position: Position) -> tuple[str, ...]:
    """One line for each withdrawn pledge: shown beside the pledges, not counted in them."""
    lines = []
    for row in position.cancelled_pledges:
        assert row.standing is not None and row.standing.cancelled_on is not None
        on = row.standing.cancelled_on.isoformat()
        withdrawn = money_text(row.standing.withdrawn_chf, "CHF", position.lang)
        lines.append(
            f"{label('cancelled', position.lang)}: {row.donor} {withdrawn} ({row.id}, {on})"
        )
    return tuple(lines)


def purpose_text(row: EntryRow, lang: str) -> str:
    if not row.purpose:
        return ""
    return row.purpose + (f" ({label('reassigned', lang)})" if row.reassigned else "")


def seconded_detail(part_time: bool, paid_by: str | None, lang: str) -> str:
    parts = [label("part_time", lang)] if part_time else []
    if paid_by and lang == "zh":  # as the source prints it: （工资由日内瓦州负担）
        parts.append(f"工资由{paid_by}负担")
    elif paid_by:
        parts.append(f"{label('salaries_paid_by', lang)} {paid_by}")
    return ("；" if lang == "zh" else "; ").join(parts)


# --- Expenditure and the fund balance -------------------------------------------


def spending_sections(position: Position) -> list[Section]:
    """Expenditure (each one, by purpose, against the budget lines) and the fund balance.

    A ledger that records no expenditure says so, rather than print zeros.
    """
    lang, spent = position.lang, position.spending
    heading = label("expenditure_heading", lang)
    if not spent.recorded:
        return [
            Section("expenditure", heading, 2, notes=(label("no_expenditure", lang),)),
            Section(
                "fund_balance",
                label("fund_balance", lang),
                2,
                notes=(label("no_fund_balance", lang),),
            ),
        ]
    notes = () if spent.rate_stated else (label("no_support_rate", lang),)
    sections = [Section("expenditure", heading, 2, notes=notes), _expenditures(position)]
    if spent.earmarks:
        sections.append(_earmarks(position))
    if spent.lines:
        sections.append(_budget_lines(position))
    sections.append(_fund_balance(position))
    return sections


def _expenditures(position: Position) -> Section:
    lang, spent = position.lang, position.spending
    keys = ("date", "description", "payee", "purpose", "original", "rate", "chf", "support_costs")
    rows = [
        Row(
            (
                x.date.isoformat(),
                x.description,
                x.payee,
                x.purpose,
                Money(x.amount, x.currency) if x.currency != "CHF" else None,
                x.rate if x.rate and x.rate.basis != "same-currency" else None,
                x.chf,
                x.support,
            )
        )
        for x in spent.expenditures
    ]
    total: list[Cell] = [None] * len(keys)
    total[1], total[6], total[7] = label("total", lang), spent.expenditure, spent.support_costs
    rows.append(Row(tuple(total), "total"))
    columns = tuple(_spend_column(k, lang) for k in keys)
    return Section("expenditures", label("expenditures", lang), 3, columns, tuple(rows))


def _earmarks(position: Position) -> Section:
    lang, spent, totals = position.lang, position.spending, position.totals
    keys = ("purpose", "received", "expenditure", "support_costs", "balance")
    rows = [
        Row(
            (
                e.name or label("no_purpose", lang),
                e.received,
                e.expenditure,
                e.support_costs,
                e.balance,
            ),
            depth=e.depth,
        )
        for e in spent.earmarks
    ]
    rows.append(
        Row(
            (
                label("total", lang),
                totals.received,
                totals.expenditure,
                totals.support_costs,
                totals.fund_balance,
            ),
            "total",
        )
    )
    columns = tuple(_spend_column(k, lang) for k in keys)
    return Section("earmarks", label("earmarks", lang), 3, columns, tuple(rows))


def _budget_lines(position: Position) -> Section:
    lang, spent = position.lang, position.spending
    keys = (
        *("budget_line", "phase", "purpose", "line_budget", "expenditure", "support_costs"),
        *("remaining", "percent_used"),
    )
    rows = [
        Row(
            (
                line.id,
                line.phase,
                line.purpose,
                line.budget,
                line.expenditure,
                line.support_costs,
                line.remaining,
                Percent(line.percent_used) if line.percent_used is not None else None,
            )
        )
        for line in spent.lines
    ]
    if spent.outside_expenditure or spent.outside_support:
        outside = label("outside_lines", lang)
        cells = (outside, None, None, None, spent.outside_expenditure, spent.outside_support)
        rows.append(Row((*cells, None, None)))
    budget = sum((line.budget for line in spent.lines), Decimal(0))
    remaining = sum((line.remaining for line in spent.lines), Decimal(0))
    total = (label("total", lang), None, None, budget, spent.expenditure, spent.support_costs)
    rows.append(Row((*total, remaining, None), "total"))
    columns = tuple(_spend_column(k, lang) for k in keys)
    notes = tuple(phase_line(phase, lang) for phase in spent.phases)
    return Section("budget_lines", label("budget_lines", lang), 3, columns, tuple(rows), notes)


def phase_line(phase: LineRow, lang: str) -> str:
    """One phase's budget lines together, against what was spent on them."""

    def chf(amount: Decimal) -> str:
        return money_text(amount, "CHF", lang)

    used = f"{label('percent_used', lang)} {chf(phase.used)}"
    if phase.percent_used is not None:
        used += f" ({money.format_amount(phase.percent_used)} %)"
    estimate = ""
    if phase.estimate is not None:
        estimate = f"; {label('budget', lang)} {chf(phase.estimate)}"
    return (
        f"{phase.phase}: {label('lines_total', lang)} {chf(phase.budget)}"
        f"{estimate}; {used}; {label('remaining', lang)} {chf(phase.remaining)}"
    )


def _fund_balance(position: Position) -> Section:
    """Received, less expenditure and support costs: the balance; then cash, and pledges apart.

    Expenditure is shown negative, so that the balance is the sum of the rows above it.
    """
    lang, totals = position.lang, position.totals
    rows = [
        Row((label("received", lang), totals.received)),
        Row((label("expenditure", lang), -totals.expenditure)),
        Row((label("support_costs", lang), -totals.support_costs)),
        Row((label("fund_balance", lang), totals.fund_balance), "total"),
        Row((label("loans_outstanding", lang), totals.loans_outstanding)),
        Row((label("cash_balance", lang), totals.cash)),
        Row((label("pledges_apart", lang), totals.pledged)),
    ]
    columns = (
        Column("item", label("item", lang)),
        Column("value", in_chf(label("figure", lang), lang), numeric=True),
    )
    return Section("fund_balance", label("fund_balance", lang), 2, columns, tuple(rows))


SPEND_NUMERIC = {"original", "rate", "chf", "support_costs", "received", "expenditure"}
SPEND_NUMERIC |= {"balance", "line_budget", "remaining", "percent_used"}


def _spend_column(key: str, lang: str) -> Column:
    text = amount_label(key, lang) if key in CHF_AMOUNTS else label(key, lang)
    return Column(key, text, numeric=key in SPEND_NUMERIC)

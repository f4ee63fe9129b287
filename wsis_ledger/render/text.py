"""A `Report` as a table, Markdown, CSV or JSON.

JSON is for scripts: keys are stable (see the README), amounts are strings
(`"2243419"`) so that no reader turns them into floats, counts are numbers.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

from wsis_ledger.compute.report import EntryRow, LoanRow, Report
from wsis_ledger.core import money

FORMATS = ("table", "markdown", "csv", "json")
#: Above this many entries, `report --format json` is written without
#: indentation: the C encoder, many times faster than the indenting one.
COMPACT_JSON_ENTRIES = 1000

LABELS: dict[str, tuple[str, str]] = {
    "id": ("Id", "编号"),
    "donor": ("Donor", "捐款方"),
    "original": ("Original", "原币金额"),
    "rate": ("Rate (CHF per unit)", "汇率（瑞士法郎/单位）"),
    "chf": ("CHF", "瑞士法郎"),
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
    "budget": ("Budget estimate", "经费概算"),
    "coverage": ("Coverage of the estimate", "占概算的比例"),
    "gap": ("Still to find", "资金缺口"),
    "surplus": ("Beyond the estimate", "超出概算"),
    "loan_ceiling": ("Loan ceiling (not money received)", "借款上限（非已收款项）"),
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
}


def label(key: str, lang: str) -> str:
    """A column or summary label in `lang`."""
    en, zh = LABELS[key]
    return zh if lang == "zh" else en


def render(report: Report, fmt: str) -> str:
    """The report in `fmt` (one of FORMATS), ending with a newline."""
    if fmt == "json":
        large = len(report.received) + len(report.pledged) > COMPACT_JSON_ENTRIES
        indent = None if large else 2
        return json.dumps(report_to_json(report), ensure_ascii=False, indent=indent) + "\n"
    if fmt == "csv":
        return _csv(report)
    return _text(report, markdown=fmt == "markdown")


# --- JSON -------------------------------------------------------------------


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else money.format_amount(value)


def entry_to_json(row: EntryRow) -> dict[str, Any]:
    """One receipt or pledge for scripts."""
    return {
        "id": row.id,
        "donor_id": row.donor_id,
        "donor": row.donor,
        "amount": _amount(row.amount),
        "currency": row.currency,
        "rate": _amount(row.rate.value) if row.rate else None,
        "rate_basis": row.rate.basis if row.rate else None,
        "rate_source": row.rate.source if row.rate else None,
        "chf": _amount(row.chf),
        "purpose": row.purpose,
        "reassigned": row.reassigned,
        "pledge": row.pledge,
        "date": row.date.isoformat() if row.date else None,
    }


def report_to_json(report: Report) -> dict[str, Any]:
    """The report as the JSON document the README documents."""
    totals, budget, headings = report.totals, report.budget, report.headings
    return {
        "fund": {"id": report.fund_id, "name": report.fund},
        "title": report.title,
        "as_of": report.as_of.isoformat() if report.as_of else None,
        "currency": "CHF",
        "lang": report.lang,
        "received": {
            "heading": headings["received"],
            "entries": [entry_to_json(row) for row in report.received],
            "total": _amount(totals.received),
        },
        "pledged": {
            "heading": headings["pledged"],
            "entries": [entry_to_json(row) for row in report.pledged],
            "cancelled": [
                {**entry_to_json(row), "cancelled_on": on.isoformat()}
                for row, on in report.cancelled
            ],
            "total": _amount(totals.pledged),
        },
        "loans": {
            "heading": headings["loans"],
            "facilities": [
                {
                    "id": r.id,
                    "lender_id": r.lender_id,
                    "lender": r.lender,
                    "ceiling": _amount(r.ceiling),
                    "phase": r.phase,
                    "drawn": _amount(r.drawn),
                    "repaid": _amount(r.repaid),
                    "outstanding": _amount(r.outstanding),
                }
                for r in report.loans
            ],
            "by_phase": _loans_by_phase(report),
            "total_ceiling": _amount(totals.loan_ceiling),
        },
        "seconded": {
            "heading": headings["seconded"],
            "rows": [
                {
                    "id": r.id,
                    "donor_id": r.donor_id,
                    "donor": r.donor,
                    "experts": r.full_time + r.part_time,
                    "part_time": r.part_time > 0,
                    "salaries_paid_by": r.paid_by,
                }
                for r in report.seconded
            ],
            "full_time": totals.experts_full_time,
            "part_time": totals.experts_part_time,
        },
        "facilities": {
            "heading": headings["facilities"],
            "rows": [
                {"id": r.id, "donor_id": r.donor_id, "donor": r.donor, "items": list(r.items)}
                for r in report.facilities
            ],
        },
        "staff": {
            "heading": headings["staff"],
            "rows": [
                {
                    "id": r.id,
                    "donor_id": r.donor_id,
                    "donor": r.donor,
                    "full_time": r.full_time,
                    "part_time": r.part_time,
                    "units": list(r.units),
                }
                for r in report.staff
            ],
        },
        "direct_support": {
            "heading": headings["direct_support"],
            "rows": [
                {
                    "id": r.id,
                    "donor_id": r.donor_id,
                    "donor": r.donor,
                    "chf": _amount(r.chf),
                    "what": r.what,
                }
                for r in report.direct_support
            ],
            "total": _amount(totals.direct_support),
        },
        "budget": None
        if budget is None
        else {
            "phase_id": budget.phase_id,
            "phase": budget.phase,
            "estimate": _amount(budget.estimate),
            "coverage_percent": _amount(budget.coverage_percent),
            "gap": _amount(budget.gap),
        },
        "totals": {
            "received": _amount(totals.received),
            "pledged": _amount(totals.pledged),
            "received_and_pledged": _amount(totals.received_and_pledged),
            "loan_ceiling": _amount(totals.loan_ceiling),
            "direct_support": _amount(totals.direct_support),
            "experts_full_time": totals.experts_full_time,
            "experts_part_time": totals.experts_part_time,
        },
        "purposes": [
            {
                "purpose": p.purpose or None,
                "received": _amount(p.received),
                "pledged": _amount(p.pledged),
                "total": _amount(p.total),
            }
            for p in report.purposes
        ],
        "notes": list(report.notes),
    }


def _loans_by_phase(report: Report) -> list[dict[str, Any]]:
    """Ceiling, drawn, repaid and outstanding, summed per phase (null: no phase named)."""
    phases: dict[str | None, list[Decimal]] = {}
    for row in report.loans:
        sums = phases.setdefault(row.phase, [Decimal(0)] * 3)
        for i, value in enumerate((row.ceiling, row.drawn, row.repaid)):
            sums[i] += value
    return [
        {
            "phase": phase,
            "ceiling": _amount(ceiling),
            "drawn": _amount(drawn),
            "repaid": _amount(repaid),
            "outstanding": _amount(drawn - repaid),
        }
        for phase, (ceiling, drawn, repaid) in phases.items()
    ]


# --- CSV --------------------------------------------------------------------

CSV_COLUMNS = (
    "section",
    "id",
    "donor_id",
    "donor",
    "amount",
    "currency",
    "rate",
    "rate_basis",
    "chf",
    "count",
    "detail",
)


def _csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in csv_rows(report):
        writer.writerow([safe_cell(row.get(column)) for column in CSV_COLUMNS])
    return out.getvalue()


def csv_rows(report: Report) -> Iterable[dict[str, Any]]:
    """Every row of the report, flat, with a `section` column; totals last."""
    for section, rows in (("received", report.received), ("pledged", report.pledged)):
        for row in rows:
            yield {"section": section, **entry_to_json(row)}
    for row, on in report.cancelled:
        yield {"section": "pledged_cancelled", **entry_to_json(row), "detail": on.isoformat()}
    for loan in report.loans:
        yield {
            "section": "loans",
            "id": loan.id,
            "donor_id": loan.lender_id,
            "donor": loan.lender,
            "chf": _amount(loan.ceiling),
            "detail": "ceiling",
        }
    for staff in report.seconded:
        yield {
            "section": "seconded",
            "id": staff.id,
            "donor_id": staff.donor_id,
            "donor": staff.donor,
            "count": staff.full_time + staff.part_time,
            "detail": seconded_detail(staff.part_time > 0, staff.paid_by, "en"),
        }
    for facility in report.facilities:
        yield {
            "section": "facilities",
            "id": facility.id,
            "donor_id": facility.donor_id,
            "donor": facility.donor,
            "detail": "; ".join(facility.items),
        }
    for staff in report.staff:
        yield {
            "section": "staff",
            "id": staff.id,
            "donor_id": staff.donor_id,
            "donor": staff.donor,
            "count": staff.full_time + staff.part_time,
            "detail": f"full-time {staff.full_time}; part-time {staff.part_time}; "
            + "; ".join(staff.units),
        }
    for direct in report.direct_support:
        yield {
            "section": "direct_support",
            "id": direct.id,
            "donor_id": direct.donor_id,
            "donor": direct.donor,
            "chf": _amount(direct.chf),
            "detail": direct.what,
        }
    totals = report_to_json(report)["totals"]
    for key, value in totals.items():
        column = "count" if isinstance(value, int) else "chf"
        yield {"section": "total", "id": key, column: value}


def seconded_detail(part_time: bool, paid_by: str | None, lang: str) -> str:
    parts = [label("part_time", lang)] if part_time else []
    if paid_by:
        parts.append(f"{label('salaries_paid_by', lang)} {paid_by}")
    return "; ".join(parts)


def safe_cell(value: object) -> object:
    """A cell a spreadsheet will not run as a formula: text starting with = + - @ tab or CR
    gets a leading apostrophe. Numbers are left as they are."""
    formula_like = isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r")
    if formula_like and not money.PLAIN_NUMBER.fullmatch(str(value).lstrip("+-")):
        return "'" + str(value)
    return value


# --- table and Markdown -----------------------------------------------------


def _text(report: Report, markdown: bool) -> str:
    # tabulate costs ~30 ms to import: only the commands that print tables pay it.
    from tabulate import tabulate

    lang, headings, totals = report.lang, report.headings, report.totals
    fmt = "pipe" if markdown else "simple"
    out: list[str] = []

    def heading(text: str, level: int) -> None:
        out.append(("#" * level + " " + text) if markdown else text)
        if not markdown:
            out.append("=" * _width(text) if level == 1 else "-" * _width(text))
        out.append("")

    def table(
        rows: Sequence[Sequence[object]], headers: Sequence[str], align: Sequence[str]
    ) -> None:
        text = tabulate(rows, headers=headers, tablefmt=fmt, colalign=align, disable_numparse=True)
        out.extend([text, ""])

    heading(report.title, 1)
    as_of = f" ({label('as_of', lang)} {report.as_of.isoformat()})" if report.as_of else ""
    out.extend([report.fund + as_of, ""])
    heading(headings["contributions"], 2)
    for key, rows, total in (
        ("received", report.received, totals.received),
        ("pledged", report.pledged, totals.pledged),
    ):
        heading(headings[key], 3)
        body: list[list[str]] = [
            [str(n), row.donor, original_text(row), rate_text(row, lang), grouped(row.chf)]
            + ([purpose_text(row, lang)] if report.purposes else [])
            for n, row in enumerate(rows, 1)
        ]
        body.append(
            ["", headings[f"{key}_total"], "", "", grouped(total)]
            + ([""] if report.purposes else [])
        )
        table(
            body,
            [
                "#",
                label("donor", lang),
                label("original", lang),
                label("rate", lang),
                label("chf", lang),
            ]
            + ([label("purpose", lang)] if report.purposes else []),
            ["right", "left", "right", "right", "right"] + (["left"] if report.purposes else []),
        )
        if key == "pledged":
            out.extend(cancelled_lines(report))
    if report.purposes:
        heading(label("purposes", lang), 3)
        table(
            [
                [
                    "  " * p.depth + (p.purpose.rsplit("/", 1)[-1] or label("no_purpose", lang)),
                    grouped(p.received),
                    grouped(p.pledged),
                    grouped(p.total),
                ]
                for p in report.purposes
            ],
            [
                label("purpose", lang),
                label("received", lang),
                label("pledged", lang),
                label("total", lang),
            ],
            ["left", "right", "right", "right"],
        )
    heading(headings["loans"], 2)
    loan_columns = ["lender", "ceiling"]
    if any(r.drawn or r.phase for r in report.loans):
        loan_columns += ["phase", "drawn", "repaid", "outstanding"]
    loan_cells: dict[str, Callable[[LoanRow], str]] = {
        "lender": lambda r: r.lender,
        "ceiling": lambda r: grouped(r.ceiling),
        "phase": lambda r: r.phase or "",
        "drawn": lambda r: grouped(r.drawn),
        "repaid": lambda r: grouped(r.repaid),
        "outstanding": lambda r: grouped(r.outstanding),
    }
    table(
        [[loan_cells[c](r) for c in loan_columns] for r in report.loans],
        [label(c, lang) for c in loan_columns],
        ["left" if c in ("lender", "phase") else "right" for c in loan_columns],
    )
    heading(headings["seconded"], 2)
    seconded: list[list[object]] = [
        [
            r.donor,
            str(r.full_time + r.part_time),
            seconded_detail(r.part_time > 0, r.paid_by, lang),
        ]
        for r in report.seconded
    ]
    seconded.append(
        [
            label("total", lang),
            f"{totals.experts_full_time} + {totals.experts_part_time}",
            label("part_time", lang),
        ]
    )
    table(
        seconded,
        [label("seconded_by", lang), label("experts", lang), ""],
        ["left", "right", "left"],
    )
    heading(headings["facilities"], 2)
    separator = "、" if lang == "zh" else ", "
    table(
        [[r.donor, separator.join(r.items)] for r in report.facilities],
        [label("provided_by", lang), label("items", lang)],
        ["left", "left"],
    )
    heading(headings["staff"], 2)
    table(
        [
            [r.donor, str(r.full_time), str(r.part_time), separator.join(r.units)]
            for r in report.staff
        ],
        ["", label("full_time", lang), label("part_time_staff", lang), label("units", lang)],
        ["left", "right", "right", "left"],
    )
    if report.direct_support:
        heading(headings["direct_support"], 2)
        table(
            [[r.donor, r.what or "", grouped(r.chf)] for r in report.direct_support],
            [label("donor", lang), label("what", lang), label("chf", lang)],
            ["left", "left", "right"],
        )
    heading(headings["summary"], 2)
    table(summary_rows(report), ["", ""], ["left", "right"])
    for note in report.notes:
        out.extend([note, ""])
    return "\n".join(out).rstrip("\n") + "\n"


def summary_rows(report: Report) -> list[list[object]]:
    lang, totals, budget = report.lang, report.totals, report.budget
    rows: list[list[object]] = [
        [label("received", lang), grouped(totals.received)],
        [label("pledged", lang), grouped(totals.pledged)],
        [label("received_and_pledged", lang), grouped(totals.received_and_pledged)],
    ]
    if budget is not None:
        rows.append([f"{label('budget', lang)}: {budget.phase}", grouped(budget.estimate)])
        rows.append([label("coverage", lang), f"{budget.coverage_percent} %"])
        gap_label = "gap" if budget.gap >= 0 else "surplus"
        rows.append([label(gap_label, lang), grouped(abs(budget.gap))])
    rows.append([label("loan_ceiling", lang), grouped(totals.loan_ceiling)])
    rows.append(
        [label("experts_summary", lang), f"{totals.experts_full_time} / {totals.experts_part_time}"]
    )
    if totals.direct_support:
        rows.append([label("direct", lang), grouped(totals.direct_support)])
    return rows


def cancelled_lines(report: Report) -> list[str]:
    """One line for each withdrawn pledge: shown beside the pledges, not counted in them."""
    lines = [
        f"{label('cancelled', report.lang)}: {row.donor} {grouped(row.chf)} CHF ({row.id}, {on.isoformat()})"
        for row, on in report.cancelled
    ]
    return [*lines, ""] if lines else []


def purpose_text(row: EntryRow, lang: str) -> str:
    if not row.purpose:
        return ""
    return row.purpose + (f" ({label('reassigned', lang)})" if row.reassigned else "")


def grouped(amount: Decimal) -> str:
    return money.group_thousands(amount)


def original_text(row: EntryRow) -> str:
    if row.amount is None or row.currency is None:
        return ""
    return f"{money.group_thousands(row.amount)} {row.currency}"


def rate_text(row: EntryRow, lang: str) -> str:
    if row.rate is None or row.rate.basis == "same-currency":
        return ""
    text = money.format_amount(row.rate.value)
    return f"{text} ({label('derived', lang)})" if row.rate.basis == "derived" else text


def _width(text: str) -> int:
    from wcwidth import wcswidth

    return max(wcswidth(text), len(text))


# --- any list of rows ----------------------------------------------------------


def render_rows(
    rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: str, key: str = "rows"
) -> str:
    """Rows as a table, Markdown, CSV, or JSON (`{key: [...]}`), the same fields each way.

    Values are already text (amounts as plain digits), numbers, booleans or None.
    """
    if fmt == "json":
        document = {key: [{c: row.get(c) for c in columns} for row in rows]}
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([safe_cell(_cell(row.get(c))) for c in columns])
        return out.getvalue()
    from tabulate import tabulate

    body = [[_cell(row.get(c)) for c in columns] for row in rows]
    table = tabulate(
        body,
        headers=list(columns),
        tablefmt="pipe" if fmt == "markdown" else "simple",
        disable_numparse=True,
    )
    return table + "\n"


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value

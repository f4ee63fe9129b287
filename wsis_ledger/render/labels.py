"""The words of every table: labels in both languages, the values a Chinese table
translates, and which columns hold CHF amounts (their labels say so)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

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
    "acknowledged_differences": (
        "Printed totals that differ from their rows, acknowledged",
        "已确认的与明细不符的印刷合计",
    ),
    "acknowledged": ("Acknowledged", "确认"),
    "signed": ("Signed", "签署日期"),
    "fallen_due": ("Fallen due", "已到期"),
    "overdue": ("Overdue", "逾期未付"),
    "next_due": ("Next due", "下次到期"),
    "next_due_amount": ("Next instalment", "下期分期款"),
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
    "closed_all": (
        "This period is closed: the records dated on or before {through} were closed by "
        "{by} ({closing}, recorded {at}) and may not change.",
        "本期已结账：{through}（含）以前的记录由 {by} 结账（{closing}，记录于 {at}），不得更改。",
    ),
    "closed_part": (
        "Closed through {through} by {by} ({closing}, recorded {at}): the records dated "
        "on or before that day may not change.",
        "已结账至 {through}，由 {by} 结账（{closing}，记录于 {at}）：该日（含）以前的记录不得更改。",
    ),
    "unapproved": (
        "Awaiting a second person's approval: {count} record(s), {chf} CHF ({ids}); "
        "counted in the figures above.",
        "待第二人批准：{count} 项记录，{chf} 瑞士法郎（{ids}）；已计入上列数字。",
    ),
    "unknown_person": ("someone not recorded", "未记录者"),
    # Other income, refunds to donors and bank charges (compute.cash_movements).
    "cash_movements": (
        "Other income, refunds to donors and bank charges",
        "其他收入、退还捐助方的款项和银行手续费",
    ),
    "other_income": ("Interest and other income", "利息和其他收入"),
    "refunds": ("Refunds to donors", "退还捐助方的款项"),
    "bank_charges": ("Bank charges", "银行手续费"),
    "interest": ("interest", "利息"),
    "other": ("other", "其他"),
    # The exchange difference on payments, split (the report's summary).
    "exchange_gains": ("Realised exchange gains", "已实现汇兑收益"),
    "exchange_losses": ("Realised exchange losses", "已实现汇兑损失"),
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
    "loan facility": "借款",
    "loan drawing": "提款",
    "loan repayment": "还款",
    "salaries paid": "负担工资",
    "refund": "退款",
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
VALUES_ZH.update(CURRENCY_ZH)


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


#: Columns of CHF amounts: their labels say so.
CHF_AMOUNTS = {"chf", "settled_chf", "outstanding_chf", "ceiling", "drawn", "repaid"}
CHF_AMOUNTS |= {"outstanding", "received", "pledged", "total", "expenditure", "support_costs"}
CHF_AMOUNTS |= {"balance", "line_budget", "remaining", "stated", "computed", "difference"}
CHF_AMOUNTS |= {"chf_at_reference"}

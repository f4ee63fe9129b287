"""The words of the fund's accounts (`render.accounts`): gettext messages (`accounts_*`),
translated in the six catalogs (docs/development.md, "Languages")."""

from __future__ import annotations

from wsis_ledger.core.language import Message, msg

WORDS: dict[str, Message] = {
    "title": msg("accounts_title", "Financial statements"),
    "sources_uses": msg("accounts_sources_uses", "Statement of sources and uses of funds"),
    "position": msg("accounts_position", "Statement of financial position as at {date}"),
    "notes": msg("accounts_notes", "Notes to the financial statements"),
    "period": msg("accounts_period", "for the period {start} to {end}"),
    "as_of": msg("accounts_as_of", "As of {date}. All amounts in CHF."),
    "line": msg("accounts_line", "Line"),
    "opening": msg("accounts_opening", "Opening balance"),
    "sources": msg("accounts_sources", "Sources of funds"),
    "total_sources": msg("accounts_total_sources", "Total sources"),
    "uses": msg("accounts_uses", "Uses of funds"),
    "total_uses": msg("accounts_total_uses", "Total uses"),
    "change": msg("accounts_change", "Change in balance"),
    "closing": msg("accounts_closing", "Closing balance"),
    "assets": msg("accounts_assets", "Assets"),
    "cash": msg("accounts_cash", "Cash"),
    "receivable": msg(
        "accounts_receivable",
        "Contributions receivable (signed agreements not yet paid)",
    ),
    "total_assets": msg("accounts_total_assets", "Total assets"),
    "liabilities": msg("accounts_liabilities", "Liabilities"),
    "loans_payable": msg("accounts_loans_payable", "Loans payable"),
    "total_liabilities": msg("accounts_total_liabilities", "Total liabilities"),
    "net_assets": msg("accounts_net_assets", "Net assets"),
    "restricted": msg("accounts_restricted", "Restricted: {purpose}"),
    "unrestricted": msg("accounts_unrestricted", "Unrestricted"),
    "total_net_assets": msg("accounts_total_net_assets", "Total net assets"),
    "liabilities_net_assets": msg(
        "accounts_liabilities_net_assets",
        "Total liabilities and net assets",
    ),
    "chf": msg("accounts_chf", "CHF"),
    "basis_note": msg("accounts_basis_note", "Basis of preparation"),
    "controls_note": msg("accounts_controls_note", "Closed periods and approvals"),
    "basis_cash": msg(
        "accounts_basis_cash",
        "Cash basis: contributions are counted when received; signed agreements not yet paid "
        "are disclosed below, not counted.",
    ),
    "basis_accrual": msg(
        "accounts_basis_accrual",
        "Modified accrual basis: contributions are counted when received, and signed "
        "agreements not yet paid as contributions receivable. Announced pledges are disclosed"
        " below, never counted as revenue or a receivable.",
    ),
    "basis_default": msg(
        "accounts_basis_default",
        "(The ledger does not state its basis: `fund.basis`; this is the default.)",
    ),
    "received_reconciled": msg(
        "accounts_received_reconciled",
        "The report's received for the period ({received}) is the contributions received at "
        "their booked CHF ({contributions}) plus the realised exchange gains ({gains}) less "
        "the realised exchange losses ({losses}): the same money, counted once.",
    ),
    "refunded_restricted": msg(
        "accounts_refunded_restricted",
        "Refunds of contributions given for {purpose} ({chf}) are taken off its restricted "
        "net assets; the report's earmark balances count them with the cash movements.",
    ),
    "basis_ipsas": msg(
        "accounts_basis_ipsas",
        "Figures are the ledger's, in CHF at the booked rates; exchange differences realised "
        "on payments of pledges are shown on their own lines.",
    ),
    "pledges_note": msg(
        "accounts_pledges_note",
        "Pledges not counted (announced, or on a cash basis not yet paid)",
    ),
    "pledge": msg("accounts_pledge", "Pledge"),
    "donor": msg("accounts_donor", "Donor"),
    "outstanding": msg("accounts_outstanding", "Outstanding (CHF)"),
    "signed": msg("accounts_signed", "Signed agreement"),
    "yes": msg("accounts_yes", "yes"),
    "no": msg("accounts_no", "no"),
    "none": msg("accounts_none", "None."),
    "in_kind_note": msg(
        "accounts_in_kind_note",
        "Contributions in kind (disclosed; valued only where the source gives a value)",
    ),
    "kind": msg("accounts_kind", "Kind"),
    "what": msg("accounts_what", "What"),
    "value": msg("accounts_value", "Value (CHF)"),
    "not_valued": msg("accounts_not_valued", "not valued"),
    "seconded": msg("accounts_seconded", "Seconded experts"),
    "facilities": msg("accounts_facilities", "Facilities"),
    "staff": msg("accounts_staff", "Staff"),
    "direct_support": msg("accounts_direct_support", "Direct support"),
    "differences_note": msg(
        "accounts_differences_note",
        "Printed totals that differ from their rows",
    ),
    "statement": msg("accounts_statement", "Statement"),
    "total": msg("accounts_total", "Total"),
    "printed": msg("accounts_printed", "Printed"),
    "computed": msg("accounts_computed", "Rows add up to"),
    "difference": msg("accounts_difference", "Difference"),
    "acknowledged": msg("accounts_acknowledged", "Acknowledged"),
    "not_acknowledged": msg("accounts_not_acknowledged", "not acknowledged"),
    "rates_note": msg("accounts_rates_note", "Rates used"),
    "currency": msg("accounts_currency", "Currency"),
    "rate": msg("accounts_rate", "CHF per unit"),
    "rate_basis": msg("accounts_rate_basis", "Basis"),
    "source": msg("accounts_source", "Source"),
    "drawings_note": msg(
        "accounts_drawings_note",
        "Loan drawings in the period and their stated use",
    ),
    "drawing": msg("accounts_drawing", "Drawing"),
    "facility": msg("accounts_facility", "Facility"),
    "lender": msg("accounts_lender", "Lender"),
    "date": msg("accounts_date", "Date"),
    "amount": msg("accounts_amount", "Amount (CHF)"),
    "use": msg("accounts_use", "Use"),
    "prepared_by": msg("accounts_prepared_by", "Prepared by"),
    "certified_by": msg("accounts_certified_by", "Certified by"),
    "name": msg("accounts_name", "Name"),
    "title_of": msg("accounts_title_of", "Title"),
    "signature": msg("accounts_signature", "Signature and date"),
    "page": msg("accounts_page", "page"),
    "of": msg("accounts_of", "of"),
    "not_stated": msg("accounts_not_stated", "not stated"),
    "not_stated_note": msg("accounts_not_stated_note", "Figures not stated"),
    "not_stated_cash": msg(
        "accounts_not_stated_cash",
        "No expenditure is recorded in this ledger, so, as in the report, no cash, balance, "
        'expenditure or net assets are stated: a figure marked "not stated" is unknown, not '
        "zero.",
    ),
    "period_cumulative": msg(
        "accounts_period_cumulative",
        "cumulative to {end}, from a start the source does not give (asked from {start})",
    ),
    "not_stated_start": msg(
        "accounts_not_stated_start",
        "The source gives only a cumulative position as of {date}, with no date for what it "
        "lists: {columns} holds everything up to then, from a start it does not give; its "
        'opening balance is "not stated", unknown, not zero.',
    ),
    "not_stated_before": msg(
        "accounts_not_stated_before",
        "The source gives only a cumulative position as of {date}: what {columns} held, "
        "before it, is not stated (unknown, not zero).",
    ),
    "not_stated_loans": msg(
        "accounts_not_stated_loans",
        "No drawing on the loan facilities is recorded, so, as in the report, loan drawings, "
        "repayments and loans payable, and the totals holding them, are not stated.",
    ),
}

"""The position as an IATI activity file, version 2.03 (`export --format iati`).

One `iati-activity` for the fund (or one per phase, and one for what no phase
holds), with its transactions:

| record | IATI transaction type |
| --- | --- |
| a pledge as announced | 13 incoming pledge |
| a pledge's signed agreement (`signed:`) | 11 incoming commitment, on the day it was signed |
| a pledge's withdrawal (a cancellation) | 13, negative, on its date |
| a receipt | 1 incoming funds, from the donor |
| a loan drawing | 1 incoming funds, from the lender |
| a loan repayment | 6 loan repayment |
| an expenditure, and apart its support cost | 4 expenditure |

Each `value` is in the currency the source gives, dated by the day whose rate
converts it. What the ledger booked in CHF, at which rate, stands beside it in
an element of this tool's own namespace (`wsis:booked`; IATI allows elements
of other namespaces everywhere), so a reader can reconcile the file with the
report: the booked CHF of each kind adds up to the report's figure.

What IATI needs and the records do not say (the reporting organisation's
identifier, the sector, the region) comes from the fund's `iati:` settings;
without them the export stops and names the setting (`IatiSettingsMissing`).
Nothing is invented: a budget is given only where a phase has a period of at
most a year, and a date the source does not give is said to be derived.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from dataclasses import replace as dataclass_replace
from datetime import date, timedelta
from decimal import Decimal
from typing import TypedDict
from xml.etree import ElementTree as ET

from wsis_ledger.compute.position import EntryRow, Position
from wsis_ledger.core import money
from wsis_ledger.core.language import Message, msg, translate, word
from wsis_ledger.core.ledger import Ledger
from wsis_ledger.core.models import NAME_LANGUAGES, IatiSettings, Names
from wsis_ledger.render import provenance

VERSION = "2.03"
#: This tool's namespace for what IATI has no element for (the booked CHF).
NAMESPACE = "urn:x-wsis-ledger:iati:1"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: IATI OrganisationType codes for the donor kinds that map to one exactly.
ORGANISATION_TYPES = {"government": "10", "un-system": "40", "private-sector": "70"}
#: IATI TransactionType codes.
PLEDGE, COMMITMENT, INCOMING, LOAN_REPAYMENT, EXPENDITURE = "13", "11", "1", "6", "4"
#: IATI OrganisationRole codes.
FUNDING, ACCOUNTABLE = "1", "2"
#: IATI's DAC vocabularies (SectorVocabulary 1, RegionVocabulary 1).
DAC = "1"
PER = ("fund", "phase")
#: Characters IATI's rules forbid in an activity's identifier (its ruleset: no /, &, | or ?).
NOT_IN_IDENTIFIERS = frozenset("/&|?")


class IatiExportError(ValueError):
    """What stops an IATI export: settings missing, or a record IATI cannot take."""


class IatiSettingsMissing(IatiExportError):
    """The fund has no `iati:` settings: what to add, and where."""


@dataclass(frozen=True)
class Transaction:
    """One IATI transaction, with what the ledger booked for it."""

    ref: str
    #: receipt, pledge, commitment, cancellation, loan-drawing, loan-repayment, expenditure,
    #: support-cost, other-income, refund, bank-charge
    kind: str
    code: str
    day: date
    amount: Decimal
    currency: str
    chf: Decimal
    rate: Decimal | None
    rate_basis: str | None
    description: str
    phase: str | None
    org: Names | None = None  # the provider's (or receiver's) name
    org_ref: str | None = None
    org_type: str | None = None
    dated_by_statement: bool = False


def iati(position: Position, ledger: Ledger, per: str = "fund") -> bytes:
    """The IATI 2.03 activity file of `position` (UTF-8, with an XML declaration)."""
    settings = ledger.fund.iati
    if settings is None:
        raise IatiSettingsMissing(
            "the fund has no 'iati:' settings: add them under 'fund:' in ledger.yaml "
            "(reporting_org, reporting_org_type, activity_id, sector, and region or "
            "country; docs/format.md shows the shipped fund's)"
        )
    made = provenance.now()
    ET.register_namespace("wsis", NAMESPACE)
    root = ET.Element("iati-activities", {"version": VERSION, "generated-datetime": made.stamp})
    root.append(
        ET.Comment(
            f" {position.fund}: exported by {made.tool} {made.version}"
            + (f", as of {position.as_of.isoformat()}" if position.as_of else "")
            + ". Sources: "
            + "; ".join(provenance.source_lines(position))
            + " "
        )
    )
    transactions = list(transactions_of(position, ledger))
    _none_in_the_future(transactions, date.today())
    for phase_id, selected in _activities(transactions, ledger, per):
        root.append(_activity(position, ledger, settings, phase_id, selected, made.stamp))
    ET.indent(root, space="  ")
    text = ET.tostring(root, encoding="unicode", xml_declaration=False)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n").encode("utf-8")


def _none_in_the_future(transactions: list[Transaction], today: date) -> None:
    """IATI's rules take no transaction dated after the file is made: say which, and the way out."""
    later = [t for t in transactions if t.day > today]
    if later:
        first = min(later, key=lambda t: t.day)
        more = f" and {len(later) - 1} more" if len(later) > 1 else ""
        raise IatiExportError(
            f"{first.ref} is dated {first.day.isoformat()}{more}, after today "
            f"({today.isoformat()}): IATI takes no transaction in the future; "
            f"export what is known today with --as-of {today.isoformat()}"
        )


def _activities(
    transactions: list[Transaction], ledger: Ledger, per: str
) -> Iterator[tuple[str | None, list[Transaction]]]:
    """(phase id or None for the whole fund or what no phase holds, its transactions)."""
    if per == "fund":
        yield None, transactions
        return
    for phase in ledger.fund.phases:
        bad = set(phase.id) & NOT_IN_IDENTIFIERS
        if bad:
            raise IatiExportError(
                f"the phase id {phase.id!r} holds {' '.join(sorted(bad))}, which IATI's rules "
                "forbid in an activity's identifier: export the fund as one activity "
                "(without --per phase)"
            )
        yield phase.id, [t for t in transactions if t.phase == phase.id]
    rest = [t for t in transactions if t.phase is None]
    if rest or not ledger.fund.phases:
        yield None, rest


def _activity(
    position: Position,
    ledger: Ledger,
    settings: IatiSettings,
    phase_id: str | None,
    transactions: list[Transaction],
    stamp: str,
) -> ET.Element:
    lang = position.lang
    activity = ET.Element(
        "iati-activity",
        {
            "last-updated-datetime": stamp,
            XML_LANG: lang,
            "default-currency": ledger.fund.currency,
        },
    )
    phase = next((p for p in ledger.fund.phases if p.id == phase_id), None)
    identifier = settings.activity_id + (f"-{phase_id}" if phase_id else "")
    ET.SubElement(activity, "iati-identifier").text = identifier
    reporting = ET.SubElement(
        activity,
        "reporting-org",
        {"ref": settings.reporting_org, "type": settings.reporting_org_type},
    )
    administrator = _administrator(ledger)
    _narratives(reporting, administrator or Names(en=settings.reporting_org), lang)
    title = ET.SubElement(activity, "title")
    _narratives(title, ledger.fund.name, lang)
    if phase is not None:
        _narratives(title, phase.name, lang, prefix=" — ")
    description = ET.SubElement(activity, "description", {"type": "1"})
    _narrative(description, _description(position, settings, lang), lang)
    for org_ref, org_type, names in _funders(transactions):
        element = ET.SubElement(activity, "participating-org", {"role": FUNDING})
        if org_ref:
            element.set("ref", org_ref)
        if org_type:
            element.set("type", org_type)
        _narratives(element, names, lang)
    accountable = ET.SubElement(
        activity,
        "participating-org",
        {"role": ACCOUNTABLE, "ref": settings.reporting_org, "type": settings.reporting_org_type},
    )
    _narratives(accountable, administrator or Names(en=settings.reporting_org), lang)
    ET.SubElement(activity, "activity-status", {"code": settings.status})
    _start(activity, settings, transactions, position, lang)
    if settings.country:
        ET.SubElement(activity, "recipient-country", {"code": settings.country})
    if settings.region:
        ET.SubElement(activity, "recipient-region", {"code": settings.region, "vocabulary": DAC})
    ET.SubElement(activity, "sector", {"code": settings.sector, "vocabulary": DAC})
    for budget in _budgets(ledger, phase_id):
        activity.append(budget)
    for transaction in transactions:
        activity.append(_transaction(transaction, lang))
    return activity


def _administrator(ledger: Ledger) -> Names | None:
    for donor in ledger.donors:
        if donor.kind == "administrator":
            return donor.name
    return None


def _description(position: Position, settings: IatiSettings, lang: str) -> str:
    sources = "; ".join(provenance.source_lines(position)) or "no statement"
    reading = settings.reading or "the ledger's own reading"
    text = word(
        lang,
        "iati_description",
        "{fund}. Figures from: {sources}. The IATI identifiers, sector and region codes "
        "are not printed by the source: {reading}.",
    )
    return text.format(fund=position.fund, sources=sources, reading=reading)


def _start(
    activity: ET.Element,
    settings: IatiSettings,
    transactions: list[Transaction],
    position: Position,
    lang: str,
) -> None:
    """activity-date type 2 (actual start): the setting, or the earliest date, said to be derived."""
    if settings.start is not None:
        ET.SubElement(
            activity, "activity-date", {"type": "2", "iso-date": settings.start.isoformat()}
        )
        return
    days = [t.day for t in transactions] or [s.as_of for s in position.statements]
    first = min(days, default=position.as_of or date.today())
    element = ET.SubElement(activity, "activity-date", {"type": "2", "iso-date": first.isoformat()})
    _narrative(
        element,
        word(
            lang,
            "iati_start",
            "derived: the earliest date in the ledger; the source gives no start date",
        ),
        lang,
    )


def _funders(transactions: list[Transaction]) -> list[tuple[str | None, str | None, Names]]:
    """Each donor that gave or pledged, once, in order of its first transaction."""
    seen: dict[str, tuple[str | None, str | None, Names]] = {}
    for t in transactions:
        if t.kind in ("receipt", "pledge", "commitment") and t.org is not None:
            seen.setdefault(t.org.en, (t.org_ref, t.org_type, t.org))
    return list(seen.values())


def _budgets(ledger: Ledger, phase_id: str | None) -> Iterator[ET.Element]:
    """A budget for each phase with an estimate and a period of at most a year (IATI's rule)."""
    for phase in ledger.fund.phases:
        if phase_id is not None and phase.id != phase_id:
            continue
        if phase.budget is None or phase.start is None or phase.end is None:
            continue
        if not phase.start < phase.end <= _a_year_after(phase.start):
            continue
        budget = ET.Element("budget", {"type": "1", "status": "1"})
        ET.SubElement(budget, "period-start", {"iso-date": phase.start.isoformat()})
        ET.SubElement(budget, "period-end", {"iso-date": phase.end.isoformat()})
        value = ET.SubElement(
            budget, "value", {"currency": "CHF", "value-date": phase.start.isoformat()}
        )
        value.text = money.format_amount(phase.budget)
        yield budget


def _a_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1) - timedelta(days=1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def _transaction(t: Transaction, lang: str) -> ET.Element:
    element = ET.Element("transaction", {"ref": t.ref})
    ET.SubElement(element, "transaction-type", {"code": t.code})
    ET.SubElement(element, "transaction-date", {"iso-date": t.day.isoformat()})
    value = ET.SubElement(
        element, "value", {"currency": t.currency, "value-date": t.day.isoformat()}
    )
    value.text = money.format_amount(t.amount)
    description = ET.SubElement(element, "description")
    _narrative(description, t.description, lang)
    if t.org is not None:
        role = "receiver-org" if t.code in (LOAN_REPAYMENT, EXPENDITURE) else "provider-org"
        org = ET.SubElement(element, role)
        if t.org_ref:
            org.set("ref", t.org_ref)
        if t.org_type:
            org.set("type", t.org_type)
        _narratives(org, t.org, lang)
    booked = {"kind": t.kind, "chf": money.format_amount(t.chf)}
    if t.rate is not None:
        booked["rate"] = money.format_amount(t.rate)
    if t.rate_basis is not None:
        booked["rate-basis"] = t.rate_basis
    if t.dated_by_statement:
        booked["date-source"] = "statement"
    ET.SubElement(element, f"{{{NAMESPACE}}}booked", booked)
    return element


def _narratives(element: ET.Element, names: Names, lang: str, prefix: str = "") -> None:
    """The name in the activity's language, then in the other where the ledger has it."""
    existing = {n.get(XML_LANG): n for n in element.findall("narrative")}
    for code in (lang, *(c for c in NAME_LANGUAGES if c != lang)):
        text = names.given(code)
        if not text:
            continue
        if code in existing and prefix:
            existing[code].text = (existing[code].text or "") + prefix + text
            continue
        if code not in existing:
            _narrative(element, text, code)


def _narrative(element: ET.Element, text: str, lang: str | None) -> None:
    narrative = ET.SubElement(element, "narrative")
    if lang is not None:
        narrative.set(XML_LANG, lang)
    narrative.text = text


#: Words of the transactions' descriptions.
WORDS: dict[str, Message] = {
    "pledge": msg("iati_pledge", "pledge"),
    "commitment": msg("iati_commitment", "agreement signed"),
    "received": msg("iati_received", "received"),
    "pays": msg("iati_pays", "pays pledge {}"),
    "withdrawn": msg("iati_withdrawn", "pledge withdrawn (what was outstanding on its date)"),
    "drawn": msg("iati_drawn", "drawn on {} for {}"),
    "repaid": msg("iati_repaid", "repaid to {}"),
    "support": msg("iati_support", "programme support costs{}"),
    "undated": msg("iati_undated", " (dated by its statement: the source gives no date)"),
    "other_income": msg("iati_other_income", "interest and other income"),
    "refunds": msg("iati_refunds", "refunded to the donor"),
    "bank_charges": msg("iati_bank_charges", "bank charge"),
}
#: Other income, refunds and bank charges as IATI transactions (TransactionType 2.03):
#: interest the fund earns is Incoming Funds (1: "from an external or internal source";
#: 5, Interest Payment, is interest paid on a loan); a refund gives incoming funds back,
#: a negative Incoming Funds from its donor; a bank charge is Expenditure (4).
MOVEMENT_CODES = {"other_income": INCOMING, "refunds": INCOMING, "bank_charges": EXPENDITURE}
MOVEMENT_KINDS = {
    "other_income": "other-income",
    "refunds": "refund",
    "bank_charges": "bank-charge",
}


def _word(key: str, lang: str, *args: str) -> str:
    return translate(WORDS[key], lang).format(*args)


def transactions_of(position: Position, ledger: Ledger) -> Iterable[Transaction]:
    """Every movement of the position as an IATI transaction, in the position's order."""
    fallback = position.as_of or date.today()
    lang = position.lang
    for row in position.all_pledges:
        yield _entry(row, ledger, "pledge", PLEDGE, fallback, lang)
        if row.signed_on is not None:
            signed = _entry(row, ledger, "commitment", COMMITMENT, fallback, lang)
            yield dataclass_replace(
                signed,
                ref=f"{row.id}-signed",
                day=row.signed_on,
                description=f"{row.id}: {_word('commitment', lang)}",
                dated_by_statement=False,
            )
        standing = row.standing
        if standing is not None and standing.cancelled_on is not None and standing.withdrawn_chf:
            yield Transaction(
                ref=f"{row.id}-cancelled",
                kind="cancellation",
                code=PLEDGE,
                day=standing.cancelled_on,
                amount=-standing.withdrawn_chf,
                currency="CHF",
                chf=-standing.withdrawn_chf,
                rate=None,
                rate_basis=None,
                description=f"{row.id}: {_word('withdrawn', lang)}",
                phase=row.phase,
                **_org(ledger, row.donor_id, row.donor),
            )
    for row in position.receipts:
        yield _entry(row, ledger, "receipt", INCOMING, fallback, lang)
    for loan in position.loans:
        for move in loan.movements:
            yield Transaction(
                ref=move.id,
                kind="loan-drawing" if move.drawn else "loan-repayment",
                code=INCOMING if move.drawn else LOAN_REPAYMENT,
                day=move.date,
                amount=move.amount,
                currency="CHF",
                chf=move.amount,
                rate=None,
                rate_basis=None,
                description=f"{move.id}: "
                + (
                    _word("drawn", lang, loan.id, move.use or "")
                    if move.drawn
                    else _word("repaid", lang, loan.id)
                ),
                phase=loan.phase,
                **_org(ledger, loan.lender_id, loan.lender),
            )
    yield from _movements(position, ledger)
    for spent in position.spending.expenditures:
        rate = spent.rate
        yield Transaction(
            ref=spent.id,
            kind="expenditure",
            code=EXPENDITURE,
            day=spent.date,
            amount=spent.amount,
            currency=spent.currency,
            chf=spent.chf,
            rate=rate.value if rate is not None else None,
            rate_basis=rate.basis if rate is not None else None,
            description=f"{spent.id}: {spent.description}",
            phase=spent.phase,
            org=Names.model_construct(en=spent.payee) if spent.payee else None,
        )
        if spent.support:
            share = (
                f" ({money.format_amount(spent.support_rate * 100)} %)"
                if spent.support_rate is not None
                else ""
            )
            yield Transaction(
                ref=f"{spent.id}-support",
                kind="support-cost",
                code=EXPENDITURE,
                day=spent.date,
                amount=spent.support,
                currency="CHF",
                chf=spent.support,
                rate=None,
                rate_basis=None,
                description=f"{spent.id}: {_word('support', lang, share)}",
                phase=spent.phase,
            )


def _movements(position: Position, ledger: Ledger) -> Iterable[Transaction]:
    """Other income, refunds (negative) and bank charges (`MOVEMENT_CODES`)."""
    for m in position.movements.rows:
        sign = -1 if m.kind == "refunds" else 1
        org: _Org = (
            _org(ledger, m.donor_id, m.donor or m.donor_id)
            if m.donor_id
            else {"org": None, "org_ref": None, "org_type": None}
        )
        yield Transaction(
            ref=m.id,
            kind=MOVEMENT_KINDS[m.kind],
            code=MOVEMENT_CODES[m.kind],
            day=m.date,
            amount=sign * m.amount,
            currency=m.currency,
            chf=sign * m.chf,
            rate=m.rate.value if m.rate is not None else None,
            rate_basis=m.rate.basis if m.rate is not None else None,
            description=f"{m.id}: {_word(m.kind, position.lang)}",
            phase=None,
            **org,
        )


def _entry(
    row: EntryRow, ledger: Ledger, kind: str, code: str, fallback: date, lang: str
) -> Transaction:
    original = row.amount is not None and row.currency is not None
    what = _word("received" if kind == "receipt" else kind, lang)
    if row.pledge:
        what = _word("pays", lang, row.pledge)
    dated_by_statement = row.date is None
    return Transaction(
        ref=row.id,
        kind=kind,
        code=code,
        day=row.dated_by or fallback,
        amount=row.amount if original and row.amount is not None else row.chf,
        currency=row.currency if original and row.currency else "CHF",
        chf=row.chf,
        rate=row.rate.value if row.rate is not None else None,
        rate_basis=row.rate.basis if row.rate is not None else None,
        description=f"{row.id}: {what}" + (_word("undated", lang) if dated_by_statement else ""),
        phase=row.phase,
        **_org(ledger, row.donor_id, row.donor),
        dated_by_statement=dated_by_statement,
    )


class _Org(TypedDict):
    org: Names | None
    org_ref: str | None
    org_type: str | None


def _org(ledger: Ledger, donor_id: str, shown: str) -> _Org:
    """A donor as an IATI organisation: its names, identifier and type where known.

    The fund's administrator is the reporting organisation: its identifier and
    type are the `iati:` settings' unless its donor record has its own.
    """
    donor = ledger.donor_by_id.get(donor_id)
    if donor is None:
        return {"org": Names.model_construct(en=shown), "org_ref": None, "org_type": None}
    settings = ledger.fund.iati
    ref, kind = donor.iati_id, ORGANISATION_TYPES.get(donor.kind)
    if donor.kind == "administrator" and settings is not None:
        ref, kind = ref or settings.reporting_org, kind or settings.reporting_org_type
    return {"org": donor.name, "org_ref": ref, "org_type": kind}

"""Claims: a return, exchange or repair asked for against a registration, decided by the vertical.

The agent or technician records the facts the rules look at; ``aftersales_assess_claim`` decides with every
failed condition in words an agent reads out, and the decision is stored with the facts. An accepted exchange
is completed by handing over a replacement unit: the faulty serial is marked replaced, the registration moves
to the new serial, and the coverage is recomputed with the exchange date (some terms restart the warranty
from it). A claim repaired under warranty may get a replace-or-refund offer from
``aftersales_resolution_options``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.money import Money
from aftersales.contract.text import stored_text
from aftersales.contract.values import (
    ClaimDecision,
    ClaimFacts,
    ClaimReport,
    RequestFacts,
    ResolutionContext,
    ResolutionOption,
    WarrantyTerms,
    is_component_code,
)
from aftersales.errors import Conflict, FieldError, InvalidInput, NotFound
from aftersales.outbox.events import ClaimDecided
from aftersales.outbox.webhooks import emit
from aftersales.tenancy.current import CurrentTenant
from aftersales.warranty.catalog import product_info
from aftersales.warranty.models import Claim, ClaimStatus, Registration, RegistrationStatus, SerialStatus
from aftersales.warranty.registrations.coverage import record_coverage, terms_of
from aftersales.warranty.registrations.services import RegisteredUnit, get_registration, parse_amount
from aftersales.warranty.serials.lookup import locate_unit

REPLACEABLE = (SerialStatus.IN_STOCK, SerialStatus.SOLD)


async def file_claim(session: AsyncSession, tenant: CurrentTenant, registration_id: UUID, report: ClaimReport,
                     *, filed_by: str) -> tuple[Claim, RegisteredUnit]:
    """Assess a claim by the vertical's rules and store it with its decision.

    :raises InvalidInput: the report date is in the future or before the purchase.
    :raises Conflict: the registration has ended (the unit has a newer owner) or has no coverage.
    """
    registered = await get_registration(session, registration_id)
    registration = registered.registration
    if registration.status != RegistrationStatus.ACTIVE:
        raise Conflict("this registration has ended; file the claim against the current owner's registration")
    today = tenant.today()
    if report.reported_on > today:
        raise InvalidInput("the claim cannot be filed",
                           [FieldError("reported_on", f"must not be in the future (today is {today.isoformat()})")])
    if report.reported_on < registration.purchased_on:
        raise InvalidInput("the claim cannot be filed", [FieldError(
            "reported_on", f"must not be before the purchase ({registration.purchased_on.isoformat()})")])
    if registered.coverage is None:
        raise Conflict("this registration has no coverage to assess a claim against")
    terms = terms_of(registered.coverage)
    component = report.component.strip() if report.component is not None else None
    report = replace(report, component=component or None, **recorded_at_delivery(report, registration))
    if errors := component_errors(report.component, terms):
        raise InvalidInput("the claim cannot be filed", errors)
    facts = ClaimFacts(product=product_info(registered.model), **asdict(report))
    assessment = tenant.hooks.aftersales_assess_claim(tenant=tenant.context, claim=facts, terms=terms, today=today)
    claim = Claim(
        registration_id=registration.id, serial_id=registered.unit.id, kind=report.kind.value,
        reported_on=report.reported_on, facts=_facts_record(report), decision=assessment.decision.value,
        failed_conditions=list(assessment.failed_conditions), reasons=list(assessment.reasons),
        requires_onsite_visit=assessment.requires_onsite_visit,
        arrange_by_phone_first=assessment.arrange_by_phone_first, filed_by=filed_by,
    )
    session.add(claim)
    await session.flush()
    await emit(session, ClaimDecided(  # sentences in the English the API speaks to a reader naming no language
        claim_id=claim.id, registration_id=registration.id, serial_id=registered.unit.id, kind=claim.kind,
        decision=claim.decision, failed_conditions=[str(text) for text in claim.failed_conditions],
        reasons=[str(text) for text in claim.reasons], decided_at=claim.created_at,
    ), key=claim.id, now=claim.created_at)
    return claim, registered


def recorded_at_delivery(report: ClaimReport, registration: Registration) -> dict[str, bool]:
    """What the company recorded when it delivered and installed the unit (an order's delivery), for each fact
    the claim leaves unsaid: the box sealed on delivery, the installer authorised."""
    recorded = {"delivered_sealed": registration.delivered_sealed,
                "installed_by_authorised_technician": registration.installed_by_authorised_technician}
    return {name: value for name, value in recorded.items() if value is not None and getattr(report, name) is None}


def component_errors(component: str | None, terms: WarrantyTerms) -> list[FieldError]:
    """Why ``component`` cannot be named by a claim under ``terms``: when the terms itemise their cover, it
    must be one of their components; else any plain identifier (a wear part) will do."""
    if component is None:
        return []
    known = [item.component for item in terms.coverage]
    if known and component not in known:
        return [FieldError("component", f"must be one of the components this warranty names: {', '.join(known)}",
                           code="claim.unknown_component", params={"known": ", ".join(known)})]
    if not is_component_code(component):
        return [FieldError("component", "must be a component code: lower-case letters, digits and underscores, "
                                        "at most 40", code="claim.bad_component")]
    return []


async def get_claim(session: AsyncSession, claim_id: UUID) -> Claim:
    """:raises NotFound: when the session's tenant has no such claim."""
    claim = await session.scalar(select(Claim).where(Claim.id == claim_id))
    if claim is None:
        raise NotFound("no such claim")
    return claim


async def claims_of(session: AsyncSession, registration_id: UUID) -> list[Claim]:
    """Every claim against a registration, oldest first."""
    return list(await session.scalars(
        select(Claim).where(Claim.registration_id == registration_id).order_by(Claim.created_at)))


async def complete_exchange(session: AsyncSession, tenant: CurrentTenant, claim_id: UUID, replacement_serial: str,
                            exchanged_on: date, *, now: datetime) -> tuple[Claim, RegisteredUnit]:
    """Hand over the replacement of an accepted exchange: swap the serials, move the registration, and
    recompute the coverage from the exchange date.

    :raises Conflict: the claim is not an accepted, uncompleted exchange.
    :raises InvalidInput: the replacement is unknown, already owned, of another model, or the date is wrong.
    """
    claim = await get_claim(session, claim_id)
    if claim.decision != ClaimDecision.EXCHANGE:
        raise Conflict(f"this claim was decided {claim.decision!r}, not exchange")
    if claim.status != ClaimStatus.DECIDED:
        raise Conflict("this exchange is already completed")
    registered = await get_registration(session, claim.registration_id)
    errors: list[FieldError] = []
    located = await locate_unit(session, tenant, replacement_serial)
    replacement = located.unit
    if not located.check.valid:
        errors.append(FieldError("replacement_serial", located.check.reason or "not a valid serial"))
    elif replacement is None:
        errors.append(FieldError("replacement_serial", "no unit with this serial is on the company's register"))
    elif replacement.id == registered.unit.id:
        errors.append(FieldError("replacement_serial", "is the faulty unit itself"))
    elif replacement.status not in REPLACEABLE:
        errors.append(FieldError("replacement_serial", f"is {replacement.status}; a replacement must be in stock"))
    elif replacement.model_id != registered.unit.model_id:
        errors.append(FieldError("replacement_serial", f"is a {located.model.sku if located.model else 'other'} "
                                                       f"unit; the exchange is for a {registered.model.sku}"))
    if exchanged_on > tenant.today():
        errors.append(FieldError("exchanged_on", "must not be in the future"))
    elif exchanged_on < claim.reported_on:
        errors.append(FieldError("exchanged_on", "must not be before the claim was reported "
                                                 f"({claim.reported_on.isoformat()})"))
    if errors:
        raise InvalidInput("the exchange cannot be completed", errors)
    assert replacement is not None
    registered.unit.status = SerialStatus.REPLACED
    replacement.status = SerialStatus.REGISTERED
    registered.registration.serial_id = replacement.id
    claim.status = ClaimStatus.EXCHANGED
    claim.replacement_serial_id = replacement.id
    claim.exchanged_on = exchanged_on
    await session.flush()
    coverage = await record_coverage(session, tenant, registered.registration, registered.model, cause="exchanged",
                                     now=now, exchanged_on=exchanged_on)
    return claim, RegisteredUnit(registered.registration, replacement, registered.model, coverage)


@dataclass(frozen=True)
class ReplacementQuestion:
    """What decides a replace-or-refund offer beyond the registration itself."""

    business_days_in_service: int
    invoice_price_was_market_price: bool | None = None
    expert_price: str | None = None
    replacement_approved_by_expert: bool = False


async def offer_replacement(session: AsyncSession, tenant: CurrentTenant, claim_id: UUID,
                            question: ReplacementQuestion, *, now: datetime) -> Claim:
    """Ask the vertical which ways to resolve a long warranty repair it offers (e.g. a replacement, or a
    refund at the invoice or expert price) and store the offer on the claim.

    :raises Conflict: the claim is not a free warranty repair. :raises InvalidInput: a bad price or day count.
    """
    claim = await get_claim(session, claim_id)
    if claim.decision != ClaimDecision.FREE_REPAIR:
        raise Conflict("replace-or-refund applies only to a claim repaired under warranty")
    registered = await get_registration(session, claim.registration_id)
    currency = registered.registration.currency
    errors: list[FieldError] = []
    if question.business_days_in_service < 0:
        errors.append(FieldError("business_days_in_service", "must not be negative"))
    expert_price = parse_amount(question.expert_price, currency, "expert_price", errors, zero_allowed=False)
    if errors:
        raise InvalidInput("no offer can be made", errors)
    price_minor = registered.registration.price_minor
    context = ResolutionContext(
        request=RequestFacts(kind="repair", channel="service_centre", opened_at=now,
                             product=product_info(registered.model), under_warranty=True),
        business_days_in_service=question.business_days_in_service,
        invoice_price=Money(price_minor, currency) if price_minor is not None else None,
        invoice_price_was_market_price=question.invoice_price_was_market_price,
        expert_price=expert_price,
        replacement_approved_by_expert=question.replacement_approved_by_expert,
    )
    options = tenant.hooks.aftersales_resolution_options(tenant=tenant.context, context=context)
    claim.resolution_options = options_record(options)
    await session.flush()
    return claim


def options_record(options: list[ResolutionOption]) -> list[dict[str, Any]]:
    """Resolution options as a claim stores them (JSON)."""
    return [{"kind": o.kind, "amount_minor": o.amount.amount_minor if o.amount else None,
             "currency": o.amount.currency if o.amount else None, "reason": stored_text(o.reason)} for o in options]


def _facts_record(report: ClaimReport) -> dict[str, Any]:
    record = asdict(report)
    record["kind"], record["defect"] = report.kind.value, report.defect.value
    record["reported_on"] = report.reported_on.isoformat()
    return record

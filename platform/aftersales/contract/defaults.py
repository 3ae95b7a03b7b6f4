"""The core's own answers to every hook, registered ``trylast``.

A tenant whose vertical leaves a hook out still gets a sane, conservative decision from here. These follow the
same rules as any plugin: pure functions of their arguments.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from aftersales.contract.hookspecs import hookimpl
from aftersales.contract.money import Money
from aftersales.contract.text import CORE_DOMAIN, messages
from aftersales.contract.values import (
    REQUEST_KINDS,
    CardEvidence,
    CardVerdict,
    ClaimAssessment,
    ClaimDecision,
    ClaimFacts,
    ClaimKind,
    CoverageItem,
    DispatchTerms,
    FollowUpAnswer,
    FollowUpPlan,
    FollowUpRouting,
    IntakeChecklist,
    IntakeItem,
    JobFacts,
    LateDelivery,
    LateDeliveryCompensation,
    OfferingSpec,
    OrderTerms,
    PartFacts,
    ProductInfo,
    ProviderCandidate,
    Quote,
    QuoteLine,
    RankedProvider,
    RatingDecision,
    RatingFacts,
    RefundDecision,
    RefundFacts,
    RefundMethod,
    RequestFacts,
    RequestKinds,
    ResolutionContext,
    ResolutionOption,
    SaleInfo,
    SerialCheck,
    ServiceEvent,
    SlaTarget,
    TenantContext,
    UsedPartTerms,
    WarrantyTerms,
)

NAME = "core"
DEFAULT_WARRANTY_MONTHS = 12
MAX_SERIAL_LENGTH = 64
RATING_BURST_PER_DAY = 5
BAYES_PRIOR_MEAN = 3.5
BAYES_PRIOR_WEIGHT = 10
COMPLAINT_CLOCK = "complaint_response"
COMPLAINT_RESPONSE_BUSINESS_HOURS = 48
"""Issue 4 makes seed 000's promise a platform rule: every complaint is answered within 48 business hours."""
PROFORMA_VALID_BUSINESS_DAYS = 10
UNFUNDED_FOLLOWUP_DAYS = 30
"""The order desk's periods for a vertical that gives none (``aftersales_order_terms``)."""
USED_PART_WARRANTY_DAYS = 0
"""The warranty on a used (donor) part for a vertical that gives none (``aftersales_used_part_terms``): none."""

_ = messages(CORE_DOMAIN)


@hookimpl(trylast=True)
def aftersales_validate_serial(tenant: TenantContext, serial: str, product: ProductInfo | None) -> SerialCheck:
    text = serial.strip()
    if not text:
        return SerialCheck.refuse(serial, "any", _("the serial is empty"))
    if len(text) > MAX_SERIAL_LENGTH:
        return SerialCheck.refuse(serial, "any", _("the serial is longer than {limit} characters",
                                                      limit=MAX_SERIAL_LENGTH))
    if any(ch.isspace() or not ch.isprintable() for ch in text):
        return SerialCheck.refuse(serial, "any", _("the serial contains spaces or control characters"))
    return SerialCheck.accept(text.upper(), "any")


@hookimpl(trylast=True)
def aftersales_judge_card(tenant: TenantContext, card: CardEvidence) -> CardVerdict:
    card_wrong = card.card_code_given and not card.card_code_matches
    hologram_wrong = card.hologram_code_given and not card.hologram_code_matches
    if card_wrong and hologram_wrong:
        return CardVerdict(False, (_("the card code and the hologram code do not match this serial"),))
    if card_wrong:
        return CardVerdict(False, (_("the card code does not match this serial"),))
    if hologram_wrong:
        return CardVerdict(False, (_("the hologram code does not match this serial"),))
    return CardVerdict(True, (_("the codes given match the company's register"),))


@hookimpl(trylast=True)
def aftersales_warranty_terms(tenant: TenantContext, product: ProductInfo, sale: SaleInfo) -> WarrantyTerms:
    months = product.warranty_months or DEFAULT_WARRANTY_MONTHS
    return WarrantyTerms(
        warranty_start=sale.sold_on,
        warranty_end=sale.sold_on + relativedelta(months=months),
        reasons=(_("{months}-month warranty from the date of sale", months=months),),
    )


@hookimpl(trylast=True)
def aftersales_assess_claim(tenant: TenantContext, claim: ClaimFacts, terms: WarrantyTerms, today: date) -> ClaimAssessment:
    reported = claim.reported_on
    if claim.kind in (ClaimKind.RETURN, ClaimKind.EXCHANGE):
        window = terms.return_until if claim.kind is ClaimKind.RETURN else terms.exchange_until
        if window is None or reported > window:
            return ClaimAssessment(
                ClaimDecision.REJECT,
                failed_conditions=(_("no return window applies on {day}", day=reported)
                                   if claim.kind is ClaimKind.RETURN else
                                   _("no exchange window applies on {day}", day=reported),),
            )
        if claim.kind is ClaimKind.RETURN:
            return ClaimAssessment(ClaimDecision.RETURN, reasons=(_("within the return window"),))
        return ClaimAssessment(ClaimDecision.EXCHANGE, reasons=(_("within the exchange window"),))
    item = terms.item(claim.component) if claim.component else None
    if item is not None:
        return _assess_component(claim, terms, item)
    if terms.warranty_start <= reported <= terms.warranty_end and claim.kind is ClaimKind.WARRANTY_REPAIR:
        return ClaimAssessment(ClaimDecision.FREE_REPAIR, reasons=(_("within the warranty period"),))
    return ClaimAssessment(ClaimDecision.PAID_REPAIR, reasons=(_("outside the warranty period: repair is charged"),))


def _assess_component(claim: ClaimFacts, terms: WarrantyTerms, item: CoverageItem) -> ClaimAssessment:
    """A repair of one named component, decided against that component's own cover."""
    component, reported = item.label, claim.reported_on
    until = terms.covered_until(item)
    if until is None:
        return ClaimAssessment(ClaimDecision.REJECT, failed_conditions=(
            item.reason or _("the warranty does not cover the {component}", component=component),))
    if terms.warranty_start <= reported <= until and claim.kind is ClaimKind.WARRANTY_REPAIR:
        return ClaimAssessment(ClaimDecision.FREE_REPAIR, reasons=(
            _("the {component} is under warranty until {until}", component=component, until=until),))
    if reported > until:
        reason = _("the {component} warranty ended on {until}: repair is charged", component=component,
                         until=until)
    else:
        reason = _("outside the warranty period: repair is charged")
    return ClaimAssessment(ClaimDecision.PAID_REPAIR, reasons=(reason,))


@hookimpl(trylast=True)
def aftersales_resolution_options(tenant: TenantContext, context: ResolutionContext) -> list[ResolutionOption]:
    return [ResolutionOption(kind="repair", reason=_("the repair continues"))]


def complaint_response_target() -> SlaTarget:
    """The clock every complaint runs, on every tenant: answered within 48 business hours, else management is
    told. A vertical may change it by returning its own ``complaint_response`` target, not drop it (the core
    adds this one to a complaint whose targets lack it)."""
    hours = COMPLAINT_RESPONSE_BUSINESS_HOURS
    return SlaTarget(
        name=COMPLAINT_CLOCK,
        duration=timedelta(hours=hours),
        clock="business_hours",
        met_on=("answered",),
        reason=_("every complaint is answered within {hours} business hours; an unanswered one goes to management",
                 hours=hours),
    )


@hookimpl(trylast=True)
def aftersales_sla_targets(tenant: TenantContext, request: RequestFacts) -> list[SlaTarget]:
    if request.kind == "complaint":
        return [complaint_response_target()]
    return [
        SlaTarget(
            name="first_response",
            duration=timedelta(days=2),
            clock="business_days",
            met_on=("contacted", "ended"),
            reason=_("every request gets a first response within {days} business days", days=2),
        )
    ]


@hookimpl(trylast=True)
def aftersales_followups(tenant: TenantContext, event: ServiceEvent) -> list[FollowUpPlan]:
    if event.kind != "request_closed":
        return []
    return [
        FollowUpPlan(
            name="satisfaction_survey",
            after=timedelta(hours=1),
            channel="portal",
            questionnaire=(_("How satisfied are you with the service (1-5)?"), _("Anything you want to tell us?")),
        )
    ]


@hookimpl(trylast=True)
def aftersales_service_catalogue(tenant: TenantContext) -> list[OfferingSpec]:
    return []


@hookimpl(trylast=True)
def aftersales_quote(tenant: TenantContext, job: JobFacts) -> Quote:
    free = job.under_warranty
    lines = [labour_line(job)]
    lines += [QuoteLine("part", counted(p.name, p.quantity), p.price, covered_by_warranty=free) for p in job.parts]
    lines += [QuoteLine("consumable", counted(c.name, c.quantity), c.price, covered_by_warranty=free)
              for c in job.consumables_used]
    travel = travel_line(job)
    if travel is not None:
        lines.append(travel)
    reason = (_("covered by warranty") if free else
              _("labour at the provider's price, parts and consumables at list prices"))
    return Quote(lines=tuple(lines), reasons=(reason,))


def labour_line(job: JobFacts) -> QuoteLine:
    """Labour by the hour when the job has its hours and the tenant an hourly rate, else at ``labour_price``."""
    if job.labour_hours is not None and job.labour_rate_per_hour is not None:
        return QuoteLine("labour", _("{hours} h of labour at {rate} an hour", hours=job.labour_hours,
                                           rate=job.labour_rate_per_hour),
                         job.labour_rate_per_hour.times(job.labour_hours), covered_by_warranty=job.under_warranty)
    return QuoteLine("labour", job.offering, job.labour_price, covered_by_warranty=job.under_warranty)


def travel_line(job: JobFacts) -> QuoteLine | None:
    """Travel by the km when the visit has its distance and the tenant a rate per km; None otherwise."""
    if not job.visit_distance_km or job.travel_rate_per_km is None:
        return None
    return QuoteLine("travel", _("{km} km of travel at {rate} a km", km=job.visit_distance_km,
                                       rate=job.travel_rate_per_km),
                     job.travel_rate_per_km.times(job.visit_distance_km), covered_by_warranty=job.under_warranty)


@hookimpl(trylast=True)
def aftersales_rating_policy(tenant: TenantContext, rating: RatingFacts) -> RatingDecision:
    if not rating.job_completed:
        return RatingDecision(accepted=False, reasons=(_("ratings are accepted only after the job is completed"),))
    if rating.ratings_by_rater_last_24h >= RATING_BURST_PER_DAY:
        return RatingDecision(
            accepted=True,
            flagged=True,
            reasons=(_("more than {limit} ratings from this account in a day: held for review",
                       limit=RATING_BURST_PER_DAY),),
        )
    return RatingDecision(accepted=True)


def bayesian_average(average: float | None, count: int) -> float:
    """A rating pulled towards the prior until it has enough reviews (one 5.0 does not beat 200 × 4.8)."""
    total = (average or 0.0) * count
    return (BAYES_PRIOR_MEAN * BAYES_PRIOR_WEIGHT + total) / (BAYES_PRIOR_WEIGHT + count)


def rating_reason(candidate: ProviderCandidate, weighed: float) -> str:
    """How a ranking reason states a candidate's rating: what customers gave, and what ranking made of it."""
    if not candidate.rating_count or candidate.rating_average is None:
        return _("no ratings yet (counted as {weighed})", weighed=decimal(weighed, 2))
    return _("rated {average} by {count} customers (weighed {weighed})", average=decimal(candidate.rating_average, 1),
             count=candidate.rating_count, weighed=decimal(weighed, 2))


def distance_reason(distance_km: float) -> str:
    """How a ranking reason states a candidate's distance (one decimal)."""
    return _("{distance} km away", distance=decimal(distance_km, 1))


def counted(name: str, quantity: int) -> str:
    """A quote line's name for ``quantity`` of a part or consumable called ``name`` (``Filter × 2``)."""
    return _("{name} × {quantity}", name=name, quantity=quantity)


def decimal(value: float, places: int) -> Decimal:
    """``value`` rounded to ``places`` decimals as a message parameter (a float is not one)."""
    return Decimal(f"{value:.{places}f}")


@hookimpl(trylast=True)
def aftersales_rank_providers(
    tenant: TenantContext, offering: str, candidates: Sequence[ProviderCandidate]
) -> list[RankedProvider]:
    if not candidates:
        return []
    cheapest = min(c.price.amount_minor for c in candidates) or 1
    ranked = []
    for c in candidates:
        weighed = bayesian_average(c.rating_average, c.rating_count)
        nearness = 1 / (1 + c.distance_km / 10)
        cheapness = cheapest / max(c.price.amount_minor, 1)
        score = 0.6 * weighed / 5 + 0.25 * nearness + 0.15 * cheapness
        reasons = (distance_reason(c.distance_km), rating_reason(c, weighed))
        ranked.append(RankedProvider(c.provider_id, round(score, 6), reasons))
    return sorted(ranked, key=lambda r: (-r.score, str(r.provider_id)))


@hookimpl(trylast=True)
def aftersales_refund_policy(tenant: TenantContext, refund: RefundFacts) -> RefundDecision:
    if refund.source == "wallet_balance":
        balance = refund.wallet_balance if refund.wallet_balance is not None else refund.requested
        return RefundDecision(
            allowed=min(refund.requested, balance),
            methods=(RefundMethod.BANK_TRANSFER,),
            needs_finance_approval=True,
            reasons=(_("store credit is paid out by bank transfer, up to the wallet's balance, after finance approval"),),
        )
    ceiling = refund.paid if refund.paid is not None else refund.requested
    allowed = min(refund.requested, ceiling)
    return RefundDecision(
        allowed=allowed,
        methods=(RefundMethod.ORIGINAL_PAYMENT,),
        needs_finance_approval=True,
        reasons=(_("refunds go back to the original payment, up to what was paid, after finance approval"),),
    )


@hookimpl(trylast=True)
def aftersales_late_delivery_compensation(tenant: TenantContext, delivery: LateDelivery) -> LateDeliveryCompensation:
    return LateDeliveryCompensation(Money(0, delivery.total.currency),
                                    _("the company gives no compensation for a late delivery"))


@hookimpl(trylast=True)
def aftersales_followup_answered(tenant: TenantContext, answer: FollowUpAnswer) -> FollowUpRouting:
    if answer.problem_reported and "call_back" not in answer.routing:
        return FollowUpRouting("call_back", _("the customer reported a problem: call them back"))
    if answer.problem_reported:
        return FollowUpRouting("close", _("the customer was called back; the problem is followed in its request"))
    return FollowUpRouting("close", _("no problem reported"))


@hookimpl(trylast=True)
def aftersales_order_terms(tenant: TenantContext) -> OrderTerms:
    return OrderTerms(proforma_valid_business_days=PROFORMA_VALID_BUSINESS_DAYS,
                      unfunded_followup_days=UNFUNDED_FOLLOWUP_DAYS)


TRANSFER_EXPECTED_BUSINESS_DAYS = 5
"""How long a unit may be on its way between two service points when the vertical says nothing (an assumption:
no seed names a number)."""


@hookimpl(trylast=True)
def aftersales_intake_checklist(tenant: TenantContext, product: ProductInfo | None) -> IntakeChecklist:
    return IntakeChecklist(
        items=(IntakeItem("condition", _("Condition of the unit as handed in"), "text"),
               IntakeItem("accessories", _("Accessories handed in with the unit"), "text", required=False),
               IntakeItem("photos", _("Photos of the unit"), "photos", required=False)),
        transfer_expected_business_days=TRANSFER_EXPECTED_BUSINESS_DAYS)


@hookimpl(trylast=True)
def aftersales_request_kinds(tenant: TenantContext) -> RequestKinds:
    return RequestKinds(offered=REQUEST_KINDS)


@hookimpl(trylast=True)
def aftersales_used_part_terms(tenant: TenantContext, part: PartFacts) -> UsedPartTerms:
    return UsedPartTerms(warranty_days=USED_PART_WARRANTY_DAYS, reasons=(_("a used part carries no warranty of its own"),))


@hookimpl(trylast=True)
def aftersales_dispatch_terms(tenant: TenantContext) -> DispatchTerms:
    return DispatchTerms()

"""Verticals that break the rules of the contract, for the tests of the plugin test kit's conformance check and of
``aftersales plugin check``: :class:`Broken` one rule in each hook it implements, :class:`BrokenCoverage` the rules
of the contract's v2 additions (per-component cover, hourly and travel rates, follow-up routing) in ways a plugin
written before them passes."""

from __future__ import annotations

from datetime import timedelta

from dateutil.relativedelta import relativedelta

from aftersales.contract import (
    CardVerdict,
    ClaimAssessment,
    ClaimDecision,
    ClaimKind,
    CoverageItem,
    FollowUpPlan,
    FollowUpRouting,
    OfferingSpec,
    PluginSettings,
    Quote,
    QuoteLine,
    RankedProvider,
    RatingDecision,
    RefundDecision,
    SerialCheck,
    SlaTarget,
    VerticalInfo,
    WarrantyTerms,
    hookimpl,
)


class BrokenSettings(PluginSettings):
    warranty_months: int = 12


class Broken:
    """A vertical that breaks one rule in each hook it implements (and keeps it in one: the card)."""

    @hookimpl
    def aftersales_vertical_info(self) -> VerticalInfo:
        return VerticalInfo(name="broken", title="Broken", version="0.1", description="breaks every rule",
                            settings_schema=BrokenSettings)

    @hookimpl
    def aftersales_validate_serial(self, tenant, serial, product):
        return SerialCheck.accept(serial.strip().upper() or "X", "any")

    @hookimpl
    def aftersales_validate_serials(self, tenant, serials, products):
        return [SerialCheck.accept(serial.strip().upper() or "X", "batch") for serial in serials]  # another scheme

    @hookimpl
    def aftersales_judge_card(self, tenant, card):
        return CardVerdict(genuine=card.card_code_matches, reasons=("checked against the register",))

    @hookimpl
    def aftersales_warranty_terms(self, tenant, product, sale):
        return f"{tenant.settings.warranty_months} months"  # a sentence, not WarrantyTerms

    @hookimpl
    def aftersales_assess_claim(self, tenant, claim, terms, today):
        return ClaimAssessment(ClaimDecision.REJECT)  # rejected, no condition named

    @hookimpl
    def aftersales_sla_targets(self, tenant, request):
        target = SlaTarget(name="result", duration=timedelta(days=1), clock="calendar")
        object.__setattr__(target, "duration", timedelta(hours=-1))  # what a buggy subclass could carry
        return [target]

    @hookimpl
    def aftersales_followups(self, tenant, event):
        call = FollowUpPlan(name="call", after=timedelta(days=3), channel="call")
        return [call, call]

    @hookimpl
    def aftersales_service_catalogue(self, tenant):
        return [OfferingSpec("repair", "Repair", "repair", 60), OfferingSpec("repair", "Repair again", "repair", 30)]

    @hookimpl
    def aftersales_quote(self, tenant, job):
        return Quote(lines=(QuoteLine("labour", job.offering, job.labour_price),
                            QuoteLine("part", "parts", job.parts[0].price)))  # no parts: IndexError

    @hookimpl
    def aftersales_rating_policy(self, tenant, rating):
        return RatingDecision(accepted=rating.stars > 1)  # a one-star rating refused without a word

    @hookimpl
    def aftersales_rank_providers(self, tenant, offering, candidates):
        return [RankedProvider(c.provider_id, 1.0) for c in candidates[1:]]  # drops the first

    @hookimpl
    def aftersales_refund_policy(self, tenant, refund):
        return RefundDecision(allowed=refund.requested - refund.requested, methods=())  # refused, no reason

    @hookimpl
    def aftersales_followup_answered(self, tenant, answer):
        return FollowUpRouting("rnd", "R&D reads every answer")  # even one that reported no problem


class BrokenCoverage:
    """A vertical whose hooks keep the rules of v1 and break those of the v2 additions, each only on facts v1 never
    had: an installation date, an excluded component, an hourly rate, a routing step."""

    @hookimpl
    def aftersales_vertical_info(self) -> VerticalInfo:
        return VerticalInfo(name="broken_coverage", title="Broken coverage", version="0.1",
                            description="breaks the rules of the v2 additions", settings_schema=BrokenSettings)

    @hookimpl
    def aftersales_warranty_terms(self, tenant, product, sale):
        start = sale.training_signed_off_on or sale.installed_on or sale.sold_on
        consumables = CoverageItem("consumables", sale.sold_on + timedelta(days=30))  # counted from the sale
        return WarrantyTerms(warranty_start=start, warranty_end=start + relativedelta(months=12),
                             coverage=(consumables,))

    @hookimpl
    def aftersales_assess_claim(self, tenant, claim, terms, today):
        if claim.kind is ClaimKind.WARRANTY_REPAIR and terms.warranty_start <= claim.reported_on <= terms.warranty_end:
            return ClaimAssessment(ClaimDecision.FREE_REPAIR, reasons=("within the warranty",))  # whatever the part
        return ClaimAssessment(ClaimDecision.PAID_REPAIR, reasons=("outside the warranty",))

    @hookimpl
    def aftersales_quote(self, tenant, job):
        labour = job.labour_price
        if job.labour_hours is not None and job.labour_rate_per_hour is not None:
            labour = job.labour_rate_per_hour.times(job.labour_hours) - job.labour_price  # "the hours beyond the booking"
        return Quote(lines=(QuoteLine("labour", job.offering, labour),))

    @hookimpl
    def aftersales_followup_answered(self, tenant, answer):
        routing = FollowUpRouting("close", "done")
        if answer.routing:
            object.__setattr__(routing, "step", "escalate")  # a step the core does not know
        return routing

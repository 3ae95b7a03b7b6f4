"""What the conformance check asks of each hook: the facts to call it with, and the rules its answer keeps.

The answer's type comes from the hookspec's return annotation (checked by :mod:`.conformance`); the rules here
are the ones the guide states for each hook (``docs/plugins.md``): clocks of positive length with unique names,
refusals that say why, quotes that add up, rankings of exactly the candidates, batch answers equal to the
per-serial ones, components covered from the warranty's start and excluded ones never repaired free, follow-ups
routed to a known step for a reason. Value objects check some of these themselves when built; the rules check
them again, since an answer may be built around its checks (``object.__setattr__``, a subclass). A rule that fails raises :class:`Violation` with a sentence naming what is wrong.
"""

from __future__ import annotations

import functools
import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

import pluggy
from hypothesis import strategies as st

from aftersales.contract.testing import strategies as facts
from aftersales.contract.values import (
    ROUTING_STEPS,
    ClaimAssessment,
    ClaimDecision,
    ClaimKind,
    DefectType,
    DispatchTerms,
    FollowUpRouting,
    IntakeChecklist,
    LateDeliveryCompensation,
    OrderTerms,
    Quote,
    RatingDecision,
    RefundDecision,
    RequestKinds,
    UsedPartTerms,
    is_component_code,
)


class Violation(AssertionError):
    """An answer that breaks a rule of its hook."""


@dataclass(frozen=True)
class Probe:
    """What a rule may consult besides the answer: the plugin's name and the hook callers of its plugin set
    (the batch serial rule compares with the per-serial answer through them)."""

    plugin: str
    hooks: pluggy.HookRelay


Arguments = Callable[[str], st.SearchStrategy[dict[str, Any]]]
Rule = Callable[[Any, Mapping[str, Any], Probe], None]


@dataclass(frozen=True)
class HookCheck:
    """How one hook is exercised: ``arguments(currency)`` draws its facts (besides ``tenant``) with amounts in
    the tenant's currency, ``rule`` judges a non-None answer (the type is already checked)."""

    arguments: Arguments
    rule: Rule


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise Violation(message)


def _unique(names: Iterable[str], what: str) -> None:
    twice = sorted(name for name, count in Counter(names).items() if count > 1)
    _require(not twice, f"{what} must be unique; given more than once: {', '.join(map(repr, twice))}")


def _said(reasons: Iterable[object]) -> bool:
    return any(str(reason).strip() for reason in reasons)


# -- rules, hook by hook ---------------------------------------------------------------------------------


def _vertical_info(answer: Any, args: Mapping[str, Any], probe: Probe) -> None:
    _require(answer.name == probe.plugin, f"describes itself as {answer.name!r}, registered as {probe.plugin!r}")


def _serial(answer: Any, args: Mapping[str, Any], probe: Probe) -> None:
    if answer.valid:
        _require(bool(answer.normalized.strip()), "a valid serial has a non-empty normalised form")
    else:
        _require(_said([answer.reason or ""]), "an invalid serial carries the reason it is invalid")


def _serials(answer: Any, args: Mapping[str, Any], probe: Probe) -> None:
    serials, products = args["serials"], args["products"]
    _require(len(answer) == len(serials), f"{len(serials)} serials given, {len(answer)} answers returned")
    single = probe.hooks.aftersales_validate_serial
    for index, (serial, product, check) in enumerate(zip(serials, products, answer, strict=True)):
        alone = single(tenant=args["tenant"], serial=serial, product=product)
        _require(check == alone, f"serial {index} ({serial!r}): the batch answers {check!r}, "
                                 f"aftersales_validate_serial answers {alone!r}")


def _card(answer: Any, args: Mapping[str, Any], probe: Probe) -> None:
    _require(answer.genuine or _said(answer.reasons), "a card judged not genuine carries the reasons")


def _terms(answer: Any, args: Mapping[str, Any], probe: Probe) -> None:
    start = answer.warranty_start
    _require(answer.warranty_end >= start, f"the warranty ends ({answer.warranty_end}) before it starts ({start})")
    _unique((item.component for item in answer.coverage), "coverage components")
    for item in answer.coverage:
        _require(is_component_code(item.component), f"coverage item {item.component!r} is not a component code")
        _require(item.ends_on is None or item.ends_on >= start,
                 f"the {item.component} cover ends ({item.ends_on}) before the warranty starts ({start})")


def _claim(answer: ClaimAssessment, args: Mapping[str, Any], probe: Probe) -> None:
    if answer.decision is ClaimDecision.REJECT:
        _require(_said(answer.failed_conditions), "a rejected claim names the conditions it failed")
    component = args["claim"].component
    item = args["terms"].item(component) if component else None
    if item is not None and not item.covered:
        _require(answer.decision is not ClaimDecision.FREE_REPAIR,
                 f"a free repair of the {component}, which the terms exclude")


def _options(answer: Any, args: Mapping[str, Any], probe: Probe) -> None:
    for option in answer:
        _require(option.amount is None or option.amount.amount_minor >= 0, f"{option.kind}: a negative amount")


def _targets(answer: Any, args: Mapping[str, Any], probe: Probe) -> None:
    for target in answer:
        _require(target.duration > timedelta(0), f"clock {target.name!r}: the duration must be positive")
    _unique((target.name for target in answer), "clock names")


def _followups(answer: Any, args: Mapping[str, Any], probe: Probe) -> None:
    _unique((plan.name for plan in answer), "follow-up plan names")


def _catalogue(answer: Any, args: Mapping[str, Any], probe: Probe) -> None:
    _unique((offering.code for offering in answer), "offering codes")


def _quote(answer: Quote, args: Mapping[str, Any], probe: Probe) -> None:
    if answer.refused:
        _require(_said(answer.refused), "a refused quote says why")
        return
    currency = args["tenant"].currency
    foreign = sorted({line.amount.currency for line in answer.lines} - {currency})
    _require(not foreign, f"lines in {', '.join(foreign)} on a quote in {currency}: the total cannot be computed")
    payable = sum(line.amount.amount_minor for line in answer.lines if not line.covered_by_warranty)
    total = answer.total(currency)
    _require(total.amount_minor == payable,
             f"the total {total} is not the sum of the lines not covered by warranty ({payable})")
    _require(payable >= 0, f"the customer would be paid {-payable} minor units: the total is negative")
    for line in answer.lines:
        if line.kind == "discount":
            _require(line.amount.amount_minor <= 0, f"discount {line.description!r} is a positive amount")
        else:
            _require(line.amount.amount_minor >= 0, f"{line.kind} {line.description!r} is a negative amount")
    _require(0 <= answer.platform_fee_bps <= 10_000, f"platform fee of {answer.platform_fee_bps} bps")


def _routing(answer: FollowUpRouting, args: Mapping[str, Any], probe: Probe) -> None:
    _require(answer.step in ROUTING_STEPS, f"routes to {answer.step!r}, not one of {', '.join(ROUTING_STEPS)}")
    _require(_said([answer.reason]), f"routes to {answer.step!r} without a reason")
    _require(answer.step != "rnd" or args["answer"].problem_reported,
             "routes an answer that reported no problem to R&D")


def _rating(answer: RatingDecision, args: Mapping[str, Any], probe: Probe) -> None:
    _require(answer.accepted or _said(answer.reasons), "a refused rating carries the reasons")
    _require(not answer.flagged or _said(answer.reasons), "a rating held for review carries the reasons")
    _require(math.isfinite(answer.weight) and answer.weight >= 0, f"weight {answer.weight} is not a weight >= 0")


def _ranking(answer: Any, args: Mapping[str, Any], probe: Probe) -> None:
    given = Counter(candidate.provider_id for candidate in args["candidates"])
    ranked = Counter(provider.provider_id for provider in answer)
    _require(ranked == given, f"ranks {sum(ranked.values())} providers of {sum(given.values())} candidates: "
                              f"missing {sorted(map(str, given - ranked))}, extra {sorted(map(str, ranked - given))}")
    for provider in answer:
        _require(math.isfinite(provider.score), f"provider {provider.provider_id}: score {provider.score}")


def _refund(answer: RefundDecision, args: Mapping[str, Any], probe: Probe) -> None:
    requested = args["refund"].requested
    _require(answer.allowed.currency == requested.currency,
             f"allows {answer.allowed} on a refund asked in {requested.currency}")
    _require(answer.allowed.amount_minor >= 0, f"allows a negative amount ({answer.allowed})")
    _require(answer.granted or _said(answer.reasons), "a refused refund says why")


def _late_delivery(answer: LateDeliveryCompensation, args: Mapping[str, Any], probe: Probe) -> None:
    total = args["delivery"].total
    _require(answer.amount.currency == total.currency,
             f"compensates in {answer.amount.currency} an order priced in {total.currency}")
    _require(answer.amount.amount_minor >= 0, f"a negative compensation ({answer.amount})")
    _require(_said([answer.reason]), "a compensation says which rule gives it")


def _order_terms(answer: OrderTerms, args: Mapping[str, Any], probe: Probe) -> None:
    cancel, escalate = answer.unfunded_cancel_days, answer.cheque_approval_business_days
    _require(cancel is None or escalate is None or cancel > escalate,
             f"cancels unfunded orders after {cancel} days, before a cheque is escalated ({escalate} business days)")


def _request_kinds(answer: RequestKinds, args: Mapping[str, Any], probe: Probe) -> None:
    for kind, reason in answer.refusals.items():
        _require(_said([reason]), f"the refusal of {kind!r} requests says why")


def _used_part_terms(answer: UsedPartTerms, args: Mapping[str, Any], probe: Probe) -> None:
    _require(_said(answer.reasons), "the warranty on a used part says why (a call-centre agent reads it out)")


def _intake_checklist(answer: IntakeChecklist, args: Mapping[str, Any], probe: Probe) -> None:
    codes = [item.code for item in answer.items]
    _require(len(set(codes)) == len(codes), f"the intake checklist names an item twice: {codes}")
    _require(answer.transfer_expected_business_days >= 1, "a transfer is expected within at least 1 business day")
    for item in answer.items:
        _require(is_component_code(item.code), f"intake item code {item.code!r} is not a plain identifier")
        _require(bool(str(item.label).strip()), f"intake item {item.code!r} has no label")


def _dispatch_terms(answer: DispatchTerms, args: Mapping[str, Any], probe: Probe) -> None:
    hour = answer.plan_cutoff_hour
    _require(hour is None or 0 <= hour <= 23, f"fixes the plan at hour {hour}, which is no hour of a day")


# -- the facts each hook is called with ------------------------------------------------------------------


def _fixed(**strategies: st.SearchStrategy) -> Arguments:
    drawn = st.fixed_dictionaries(strategies)
    return lambda currency: drawn


def _by_currency(**strategies: Callable[[str], st.SearchStrategy]) -> Arguments:
    @functools.cache
    def drawn(currency: str) -> st.SearchStrategy[dict[str, Any]]:
        return st.fixed_dictionaries({name: make(currency) for name, make in strategies.items()})

    return drawn


def _fixed_strategy(drawn: st.SearchStrategy[dict[str, Any]]) -> Arguments:
    return lambda currency: drawn


_SERIALS_WITH_PRODUCTS = st.lists(st.tuples(facts.serials(), st.none() | facts.products()), max_size=8)


@st.composite
def _serial_batches(draw: st.DrawFn) -> dict[str, Any]:
    pairs = draw(_SERIALS_WITH_PRODUCTS)
    return {"serials": [serial for serial, _ in pairs], "products": [product for _, product in pairs]}


_REPORTED_AFTER, _ASSESSED_AFTER = st.integers(0, 4000), st.integers(0, 30)


@st.composite
def _claims(draw: st.DrawFn) -> dict[str, Any]:
    """A claim reported on or after the warranty's start (up to eleven years on), assessed that day or later,
    about the whole unit or, as the core accepts it, a component the terms itemise (any code when they do not)."""
    terms = draw(facts.warranty_terms())
    claim = draw(facts.claim_facts() | _FAVOURED)
    reported = terms.warranty_start + timedelta(days=draw(_REPORTED_AFTER))
    component = claim.component
    if terms.coverage:
        component = draw(st.none() | st.sampled_from([item.component for item in terms.coverage]))
    return {"claim": replace(claim, reported_on=reported, component=component), "terms": terms,
            "today": reported + timedelta(days=draw(_ASSESSED_AFTER))}


_FAVOURED = st.builds(
    replace, facts.claim_facts(), kind=st.just(ClaimKind.WARRANTY_REPAIR), defect=st.just(DefectType.FUNCTIONAL),
    packaging_complete=st.just(True), accessories_complete=st.just(True), product_number_matches=st.just(True),
    parts_replaced_or_removed=st.just(False), misuse_or_damage=st.just(False), receipts_shown=st.just(True),
    warranty_voucher_shown=st.just(True), paid_in_full=st.just(True), delivered_sealed=st.just(True),
    installed_by_authorised_technician=st.just(True), sold_by_tenant=st.just(True))
"""Warranty repairs every recorded fact favours: where a rule that forgets a component's own cover repairs free."""


CHECKS: dict[str, HookCheck] = {
    "aftersales_vertical_info": HookCheck(_fixed(), _vertical_info),
    "aftersales_validate_serial": HookCheck(
        _fixed(serial=facts.serials(), product=st.none() | facts.products()), _serial),
    "aftersales_validate_serials": HookCheck(_fixed_strategy(_serial_batches()), _serials),
    "aftersales_judge_card": HookCheck(_fixed(card=facts.card_evidence()), _card),
    "aftersales_warranty_terms": HookCheck(_by_currency(product=lambda _: facts.products(), sale=facts.sales),
                                           _terms),
    "aftersales_assess_claim": HookCheck(_fixed_strategy(_claims()), _claim),
    "aftersales_resolution_options": HookCheck(_by_currency(context=facts.resolution_contexts), _options),
    "aftersales_sla_targets": HookCheck(_fixed(request=facts.request_facts()), _targets),
    "aftersales_followups": HookCheck(_fixed(event=facts.service_events()), _followups),
    "aftersales_service_catalogue": HookCheck(_fixed(), _catalogue),
    "aftersales_quote": HookCheck(_by_currency(job=facts.job_facts), _quote),
    "aftersales_rating_policy": HookCheck(_fixed(rating=facts.rating_facts()), _rating),
    "aftersales_rank_providers": HookCheck(
        _by_currency(offering=lambda _: st.sampled_from(["repair", "installation", "oil_change"]),
                     candidates=facts.candidate_lists), _ranking),
    "aftersales_late_delivery_compensation": HookCheck(_by_currency(delivery=facts.late_deliveries),
                                                       _late_delivery),
    "aftersales_refund_policy": HookCheck(_by_currency(refund=facts.refund_facts), _refund),
    "aftersales_followup_answered": HookCheck(_fixed(answer=facts.followup_answers()), _routing),
    "aftersales_order_terms": HookCheck(_fixed(), _order_terms),
    "aftersales_request_kinds": HookCheck(_fixed(), _request_kinds),
    "aftersales_intake_checklist": HookCheck(_fixed(product=st.none() | facts.products()), _intake_checklist),
    "aftersales_used_part_terms": HookCheck(_fixed(part=facts.part_facts()), _used_part_terms),
    "aftersales_dispatch_terms": HookCheck(_fixed(), _dispatch_terms),
}
"""Every hook of the contract the kit knows how to exercise; a hook missing here is reported unchecked."""

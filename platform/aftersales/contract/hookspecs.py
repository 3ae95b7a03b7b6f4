"""THE plugin contract: every hook a vertical or add-on plugin may implement.

Rules for every hook (the guide with examples is ``docs/plugins.md``):

* Hooks are synchronous pure functions over the value objects of :mod:`aftersales.contract.values`: no I/O, no database,
  no clock. Time comes in as an argument (``today``, ``now``); the core owns everything effectful.
* Call them with keyword arguments. A hook called for a tenant reaches only the core defaults
  (:mod:`aftersales.contract.defaults`, registered ``trylast``) and the plugins that tenant enabled.
* ``firstresult`` hooks stop at the first non-None result; a plugin returns None to leave the decision to the
  next plugin and, at last, to the core default (their specs say ``| None``). Results never depend on registration order: the manager
  registers plugins in name order and a tenant enables one vertical.
* Names carry the ``aftersales_`` prefix, so a misspelt hook fails validation instead of being ignored.
* Every call is checked against the spec's return annotation (:mod:`aftersales.hook_calls`): a plugin that
  raises or answers another type fails the call with an error id, attributed to that plugin.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pluggy

from aftersales.contract.values import (
    CardEvidence,
    CardVerdict,
    ClaimAssessment,
    ClaimFacts,
    DispatchTerms,
    FollowUpAnswer,
    FollowUpPlan,
    FollowUpRouting,
    IntakeChecklist,
    JobFacts,
    LateDelivery,
    LateDeliveryCompensation,
    OfferingSpec,
    OrderTerms,
    PartFacts,
    ProductInfo,
    ProviderCandidate,
    Quote,
    RankedProvider,
    RatingDecision,
    RatingFacts,
    RefundDecision,
    RefundFacts,
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
    VerticalInfo,
    WarrantyTerms,
)

PROJECT = "aftersales"
ENTRY_POINT_GROUP = "aftersales.verticals"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)

# ---------------------------------------------------------------------------------------------------------
# Identity: who the plugin is and what it can be configured with
# ---------------------------------------------------------------------------------------------------------


@hookspec
def aftersales_vertical_info() -> VerticalInfo:
    """Describe this plugin: name, title, version, kind (vertical or add-on) and settings schema.

    Called once per plugin when the plugin manager is built (not per tenant). Every plugin must implement it;
    a plugin without it is reported and disabled.

    :return: the plugin's :class:`~aftersales.contract.values.VerticalInfo`.
    """


# ---------------------------------------------------------------------------------------------------------
# Catalogue and serials
# ---------------------------------------------------------------------------------------------------------


@hookspec(firstresult=True)
def aftersales_validate_serial(tenant: TenantContext, serial: str, product: ProductInfo | None) -> SerialCheck | None:
    """Validate and normalise one serial number before it is stored or looked up.

    Called on every serial import row, registration and authenticity check. ``firstresult``: the vertical's
    answer wins; the core default accepts any non-empty serial of printable characters, upper-cased.

    :param tenant: the tenant whose registry the serial belongs to.
    :param serial: the serial exactly as typed or imported.
    :param product: the model it is claimed to be, when known (model-specific formats).
    :return: a :class:`~aftersales.contract.values.SerialCheck` with the normalised serial or the reason it is invalid.
    """


@hookspec(firstresult=True)
def aftersales_validate_serials(
    tenant: TenantContext, serials: Sequence[str], products: Sequence[ProductInfo | None]
) -> list[SerialCheck] | None:
    """Validate many serials in one call: what :func:`aftersales_validate_serial` answers for each, in order.

    Called by the serial import, a chunk of rows at a time, so a vertical pays one dispatch per chunk, not per
    row. ``firstresult``. Optional: the core uses it only when every plugin of the tenant that implements
    ``aftersales_validate_serial`` implements this too, and otherwise (or when it returns None) calls
    ``aftersales_validate_serial`` row by row (:func:`aftersales.plugins.validate_serials`).

    :param serials: the serials exactly as imported.
    :param products: each serial's claimed model (None when unknown); as long as ``serials``.
    :return: one :class:`~aftersales.contract.values.SerialCheck` per serial, equal to the per-serial hook's answer.
    """


@hookspec(firstresult=True)
def aftersales_judge_card(tenant: TenantContext, card: CardEvidence) -> CardVerdict | None:
    """Judge a warranty card shown in a public authenticity check (card code, hologram code).

    Called when a check gives a card or hologram code for a unit on the register. ``firstresult``; the core
    default calls the card genuine when every code given matches the register. A vertical adds its own marks
    of a genuine card (Mehr: a card without its hologram is not a genuine Mehr card).

    :return: :class:`~aftersales.contract.values.CardVerdict` with the reasons the customer is told.
    """


# ---------------------------------------------------------------------------------------------------------
# Warranty
# ---------------------------------------------------------------------------------------------------------


@hookspec(firstresult=True)
def aftersales_warranty_terms(tenant: TenantContext, product: ProductInfo, sale: SaleInfo) -> WarrantyTerms | None:
    """Decide the warranty terms of one sold unit: start and end, parts support, return/exchange windows.

    Called when a purchase is registered, on exchange, and again when the unit's installation date is recorded
    or its installation training is signed off (``sale.installed_on``, ``sale.training_signed_off_on``): terms
    that start at commissioning start there. ``firstresult``; the core default gives 12 months from the sale (or
    the model's override) with no return or exchange window and no per-component items.

    :return: :class:`~aftersales.contract.values.WarrantyTerms` with the reasons that produced them, and a
        :class:`~aftersales.contract.values.CoverageItem` per component with its own end when parts differ.
    """


@hookspec(firstresult=True)
def aftersales_assess_claim(tenant: TenantContext, claim: ClaimFacts, terms: WarrantyTerms, today: date) -> ClaimAssessment | None:
    """Decide a claim: return, exchange, free repair, paid repair or reject, listing every failed condition.

    Called when an agent submits a claim against a registration; ``claim.component`` is one of the terms'
    coverage codes (the core refuses others) or None. ``firstresult``; the core default offers a free repair
    inside the warranty period and a paid repair outside it, and for a named component decides by that
    component's item: excluded → reject with its reason, past its end → paid repair.

    :param today: the tenant-local date of the assessment; day N of a window is the sale date plus N days.
    :return: :class:`~aftersales.contract.values.ClaimAssessment`.
    """


@hookspec(firstresult=True)
def aftersales_resolution_options(tenant: TenantContext, context: ResolutionContext) -> list[ResolutionOption] | None:
    """Offer the ways a long-running or failed repair may be resolved (e.g. replacement or refund).

    Called by the SLA worker when a request's clock says a replacement is due, and by agents on demand.
    ``firstresult``; the core default offers only continued repair.

    :return: the options the customer chooses from, each with the amount and the rule behind it.
    """


# ---------------------------------------------------------------------------------------------------------
# Service requests
# ---------------------------------------------------------------------------------------------------------


@hookspec(firstresult=True)
def aftersales_sla_targets(tenant: TenantContext, request: RequestFacts) -> list[SlaTarget] | None:
    """Set the clocks of a new service request: durations, business or calendar time, pauses, breach action.

    Called when a request is opened and when its facts that matter (kind, location, product) change.
    ``firstresult``; the core default sets one ``first_response`` clock of 2 business days.

    :return: every clock the request runs; an empty list means no clock.
    """


@hookspec
def aftersales_followups(tenant: TenantContext, event: ServiceEvent) -> list[FollowUpPlan]:
    """Schedule follow-up calls, messages and surveys after an event (installation, repair, closure).

    Called for every recorded :class:`~aftersales.contract.values.ServiceEvent`. Not ``firstresult``: every enabled
    plugin may add plans and the core adds the satisfaction survey after a closed request; the core
    de-duplicates plans by name.

    :return: the plans to schedule, possibly empty.
    """


# ---------------------------------------------------------------------------------------------------------
# Marketplace
# ---------------------------------------------------------------------------------------------------------


@hookspec(firstresult=True)
def aftersales_service_catalogue(tenant: TenantContext) -> list[OfferingSpec] | None:
    """Name the services a tenant of this vertical offers by default (oil change, installation, repair …).

    Called when a tenant is onboarded (and again on re-onboarding, which adds only the codes it lacks) and when
    an admin asks for the defaults again; the tenant's admins edit the catalogue from there. ``firstresult``;
    the core default is an empty catalogue, which the tenant's admins fill themselves.

    :return: the default offerings, codes unique.
    """


@hookspec(firstresult=True)
def aftersales_quote(tenant: TenantContext, job: JobFacts) -> Quote | None:
    """Price a job line by line: labour, parts, consumables, travel, discounts, and what warranty makes free.

    Called when a customer asks a provider for a quote and when a change request is priced. ``firstresult``;
    the core default charges labour and parts at the given prices, all free under warranty.

    :return: an itemised :class:`~aftersales.contract.values.Quote`; once accepted it caps the charge.
    """


@hookspec(firstresult=True)
def aftersales_rating_policy(tenant: TenantContext, rating: RatingFacts) -> RatingDecision | None:
    """Accept, weigh or flag a rating before it counts in the aggregates.

    Called for every submitted rating (both directions). ``firstresult``; the core default refuses ratings on
    uncompleted jobs and flags bursts of more than 5 ratings a day from one account.

    :return: :class:`~aftersales.contract.values.RatingDecision`; flagged ratings do not count until reviewed.
    """


@hookspec(firstresult=True)
def aftersales_rank_providers(
    tenant: TenantContext, offering: str, candidates: Sequence[ProviderCandidate]
) -> list[RankedProvider] | None:
    """Order the providers that can do ``offering`` for a customer.

    Called twice per provider search, never per provider: once with every candidate (``next_free_slot`` None),
    then with the best page only, each with its next free slot, to order the page. ``firstresult``; the core
    default scores a Bayesian-average rating against distance and price.

    :return: every candidate with its score, best first.
    """


# ---------------------------------------------------------------------------------------------------------
# Deliveries
# ---------------------------------------------------------------------------------------------------------


@hookspec(firstresult=True)
def aftersales_late_delivery_compensation(
    tenant: TenantContext, delivery: LateDelivery
) -> LateDeliveryCompensation | None:
    """Decide what a customer is given when their order is delivered late.

    Called by the worker the first day an undelivered order is past its promised date (the answer's reason is
    told to the customer with the production date, through the outbox, once per order), and again when a late
    order is delivered, with the final ``days_late`` (the amount is then stored as owed on the order).
    ``firstresult``; the core default gives nothing and says so.

    :param delivery: the order's number, total, promised date, days late and production date.
    :return: :class:`~aftersales.contract.values.LateDeliveryCompensation`: an amount in the order's currency
        (zero for nothing) and the rule in words the customer reads.
    """


# ---------------------------------------------------------------------------------------------------------
# Payments
# ---------------------------------------------------------------------------------------------------------


@hookspec(firstresult=True)
def aftersales_refund_policy(tenant: TenantContext, refund: RefundFacts) -> RefundDecision | None:
    """Decide a refund: the amount allowed, the methods, the requirements the customer must meet first.

    Called when a refund is requested by a customer or an agent, before anything moves; ``refund`` carries the
    claim it comes from and whether the unit is installed when the refund names a claim or a service request.
    ``firstresult``; the core default allows up to what was paid, back to the original payment, with finance
    approval.

    :return: :class:`~aftersales.contract.values.RefundDecision` with reasons and missing requirements named.
    """


# ---------------------------------------------------------------------------------------------------------
# Follow-up answers
# ---------------------------------------------------------------------------------------------------------


@hookspec(firstresult=True)
def aftersales_followup_answered(tenant: TenantContext, answer: FollowUpAnswer) -> FollowUpRouting | None:
    """Route an answered follow-up: to an engineer, to R&D, a call back to the customer, or close it.

    Called when a follow-up's answers are recorded (by an agent or through the customer's link), and again when
    each step it was routed to is answered, with the steps taken so far in ``answer.routing``, until a step
    ``close`` is returned. The core makes each step a follow-up on the agents' list (the engineer's step assigned
    to the engineer of the request followed up). ``firstresult``; the core default calls a customer who
    reported a problem back once, and otherwise closes.

    :param answer: the answers, whether a problem was reported, and the routing so far.
    :return: the next :class:`~aftersales.contract.values.FollowUpRouting`, or None to leave it to the next plugin.
    """


# ---------------------------------------------------------------------------------------------------------
# Order desk
# ---------------------------------------------------------------------------------------------------------


@hookspec(firstresult=True)
def aftersales_order_terms(tenant: TenantContext) -> OrderTerms | None:
    """The periods of the tenant's order desk: how long a pro-forma may be paid, when an unfunded order is
    followed up, escalated (by cheque) and cancelled, and how long a bounced cheque waits.

    Called when a pro-forma is issued, when the follow-up list is read, by the worker's order sweep, and when a
    cheque bounces. ``firstresult``; the core default gives 10 business days for a pro-forma, follow-up after
    30 days, no cheque escalation, no automatic cancellation and no wait after a bounce.

    :return: :class:`~aftersales.contract.values.OrderTerms`, or None to leave it to the next plugin.
    """


# ---------------------------------------------------------------------------------------------------------
# Request kinds
# ---------------------------------------------------------------------------------------------------------


@hookspec(firstresult=True)
def aftersales_request_kinds(tenant: TenantContext) -> RequestKinds | None:
    """The kinds of service request the tenant takes (a tenant that gives no returns takes no return requests).

    Called when a request is opened (any other kind is refused with a 422 naming ``kind``, in the vertical's
    words) and when a form lists the kinds to choose from. ``firstresult``; the core default offers every kind
    of :data:`~aftersales.contract.values.REQUEST_KINDS`.

    :return: :class:`~aftersales.contract.values.RequestKinds`, or None to leave it to the next plugin.
    """


# ---------------------------------------------------------------------------------------------------------
# Used parts
# ---------------------------------------------------------------------------------------------------------


@hookspec(firstresult=True)
def aftersales_used_part_terms(tenant: TenantContext, part: PartFacts) -> UsedPartTerms | None:
    """The customer's warranty on a used part (taken from a donor unit) fitted in an urgent repair.

    Called when a job takes a used part because no new one is available; the core notes the terms on the
    request's timeline and in the answer. ``firstresult``; the core default gives no warranty on a used part.

    :param part: the part taken.
    :return: :class:`~aftersales.contract.values.UsedPartTerms`, or None to leave it to the next plugin.
    """


# ---------------------------------------------------------------------------------------------------------
# Units on the move
# ---------------------------------------------------------------------------------------------------------


@hookspec(firstresult=True)
def aftersales_intake_checklist(tenant: TenantContext, product: ProductInfo | None) -> IntakeChecklist | None:
    """What is checked when a unit of ``product`` is taken in for service (Mehr: box, charger, accessories,
    visible damage, photos), and how many business days a transfer of it between service points may take.

    Called when the intake form is shown, when a unit is taken in (answers to unknown items are refused, required
    ones must be answered) and when the unit is sent to another service point (the transfer's expected time).
    ``product`` is None for a request without a registered unit. ``firstresult``; the core default asks for the
    unit's condition, the accessories and photos, and expects a transfer within 5 business days.

    :return: :class:`~aftersales.contract.values.IntakeChecklist`, or None to leave it to the next plugin.
    """


# ---------------------------------------------------------------------------------------------------------
# Technician dispatch
# ---------------------------------------------------------------------------------------------------------


@hookspec(firstresult=True)
def aftersales_dispatch_terms(tenant: TenantContext) -> DispatchTerms | None:
    """How the tenant plans its technicians' on-site visits: the hour the next day's plan is fixed, and whether
    an in-warranty visit needs a technician authorised for the product's category.

    Called when the dispatcher's suggestion is read, when a visit is planned to a technician, and by the
    worker's plan job (``fix_due_plans``). ``firstresult``; the core default has no cut-off and no
    authorisation rule.

    :return: :class:`~aftersales.contract.values.DispatchTerms`, or None to leave it to the next plugin.
    """


__all__ = [
    "ENTRY_POINT_GROUP",
    "PROJECT",
    "hookimpl",
    "hookspec",
]

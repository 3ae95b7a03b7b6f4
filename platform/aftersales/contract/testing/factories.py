"""Every fact value object of the contract with sensible defaults: ``make_request_facts(kind="complaint")``.

A factory fills the fields the value object requires with a typical value (a repair reported by phone, a
genuine card, a completed and paid job) and leaves every optional field at the contract's own default, so a
test names only what its rule looks at (``make_sale(installed_on=…)``, ``make_claim_facts(component="pump")``,
``make_job_facts(labour_hours=Decimal("2.5"), labour_rate_per_hour=…)``). Keyword arguments override any field; a misspelt one raises
``TypeError`` as the value object itself would. Amounts are in :data:`CURRENCY` unless a test passes its own
:class:`~aftersales.contract.money.Money`; dates are fixed (:data:`SALE_DATE`, :data:`REPORTED_ON`,
:data:`OPENED_AT`), never today's, so a test means the same thing every day.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from dateutil.relativedelta import relativedelta

from aftersales.contract.money import Money
from aftersales.contract.values import (
    CardEvidence,
    ClaimFacts,
    ClaimKind,
    CoverageItem,
    DefectType,
    FollowUpAnswer,
    JobFacts,
    JobItem,
    ProductInfo,
    ProviderCandidate,
    RatingFacts,
    RefundFacts,
    RequestFacts,
    ResolutionContext,
    SaleInfo,
    ServiceEvent,
    WarrantyTerms,
)

CURRENCY = "IRR"
"""The currency of the factories' amounts, and of the default tenant of ``tenant_context``."""
SALE_DATE = date(2026, 1, 15)
"""When the default sale was made."""
REPORTED_ON = date(2026, 3, 2)
"""When the default claim was reported: inside any warranty that runs from :data:`SALE_DATE` for a month
or more, outside any return or exchange window of a few weeks."""
OPENED_AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
"""When the default request was opened and the default service event happened."""

T = TypeVar("T")


def _make(cls: type[T], defaults: dict[str, Any], overrides: dict[str, Any]) -> T:
    return cls(**{**defaults, **overrides})


def make_product(**overrides: Any) -> ProductInfo:
    """A product model of the catalogue (no size, weight or warranty override)."""
    return _make(ProductInfo, {"sku": "TEST-1", "name": "Test product", "category": "general"}, overrides)


def make_sale(**overrides: Any) -> SaleInfo:
    """A sale on :data:`SALE_DATE` at 10,000,000 IRR, never exchanged."""
    return _make(SaleInfo, {"sold_on": SALE_DATE, "price": Money(10_000_000, CURRENCY)}, overrides)


def make_coverage_item(**overrides: Any) -> CoverageItem:
    """The ``machine`` component, covered until the unit's warranty end (``ends_on`` None)."""
    return _make(CoverageItem, {"component": "machine", "ends_on": None}, overrides)


def make_warranty_terms(**overrides: Any) -> WarrantyTerms:
    """A 12-month warranty from :data:`SALE_DATE` with no windows and no per-component cover (pass ``coverage``
    as a tuple of :func:`make_coverage_item`)."""
    defaults = {"warranty_start": SALE_DATE, "warranty_end": SALE_DATE + relativedelta(months=12)}
    return _make(WarrantyTerms, defaults, overrides)


def make_request_facts(**overrides: Any) -> RequestFacts:
    """A repair request opened by phone at :data:`OPENED_AT`, with no product, location or service point."""
    return _make(RequestFacts, {"kind": "repair", "channel": "phone", "opened_at": OPENED_AT}, overrides)


def make_claim_facts(**overrides: Any) -> ClaimFacts:
    """A warranty-repair claim for a functional defect of :func:`make_product`, reported on :data:`REPORTED_ON`
    with no other fact recorded (no receipts, no voucher: pass those the rule looks at)."""
    defaults = {"kind": ClaimKind.WARRANTY_REPAIR, "reported_on": REPORTED_ON, "defect": DefectType.FUNCTIONAL,
                "product": make_product()}
    return _make(ClaimFacts, defaults, overrides)


def make_job_item(**overrides: Any) -> JobItem:
    """One spare part at 2,000,000 IRR."""
    return _make(JobItem, {"code": "PART-1", "name": "spare part", "quantity": 1,
                           "unit_price": Money(2_000_000, CURRENCY)}, overrides)


def make_job_facts(**overrides: Any) -> JobFacts:
    """A repair at the workshop out of warranty, 1,500,000 IRR of labour, no parts."""
    defaults = {"offering": "repair", "labour_price": Money(1_500_000, CURRENCY), "offering_category": "repair"}
    return _make(JobFacts, defaults, overrides)


def make_rating_facts(**overrides: Any) -> RatingFacts:
    """A customer's five stars for a completed, paid job, the rater's first rating."""
    defaults = {"stars": 5, "direction": "customer_rates_provider", "job_completed": True, "job_paid": True}
    return _make(RatingFacts, defaults, overrides)


def make_refund_facts(**overrides: Any) -> RefundFacts:
    """A refund of a payment of 1,000,000 IRR, all of it asked for, the customer's identity not verified.
    ``paid`` follows ``requested`` unless given."""
    requested = overrides.get("requested", Money(1_000_000, CURRENCY))
    defaults = {"source": "payment", "requested": requested, "paid": requested}
    return _make(RefundFacts, defaults, overrides)


def make_service_event(**overrides: Any) -> ServiceEvent:
    """A repair finished at :data:`OPENED_AT`."""
    return _make(ServiceEvent, {"kind": "repaired", "occurred_at": OPENED_AT, "request_kind": "repair"}, overrides)


def make_followup_answer(**overrides: Any) -> FollowUpAnswer:
    """The satisfaction survey answered at :data:`OPENED_AT` with no problem reported, no step taken yet
    (``routing=("engineer",)`` for the engineer's step answered)."""
    defaults = {"plan_name": "satisfaction_survey", "answers": {"Is the unit working?": "yes"},
                "problem_reported": False, "answered_at": OPENED_AT}
    return _make(FollowUpAnswer, defaults, overrides)


def make_resolution_context(**overrides: Any) -> ResolutionContext:
    """A repair (:func:`make_request_facts`) 10 business days in service, with no price known."""
    return _make(ResolutionContext, {"request": make_request_facts(), "business_days_in_service": 10}, overrides)


def make_provider_candidate(**overrides: Any) -> ProviderCandidate:
    """A provider 5 km away at 1,500,000 IRR rated 4.5 by 20 customers; a new id on every call."""
    defaults = {"provider_id": uuid.uuid4(), "rating_average": 4.5, "rating_count": 20,
                "price": Money(1_500_000, CURRENCY), "distance_km": 5.0}
    return _make(ProviderCandidate, defaults, overrides)


def make_card_evidence(**overrides: Any) -> CardEvidence:
    """A genuine card: the unit has a card code and a hologram, both given and both matching."""
    defaults = {"card_code_given": True, "card_code_matches": True, "hologram_code_given": True,
                "hologram_code_matches": True, "unit_has_card_code": True, "unit_has_hologram": True}
    return _make(CardEvidence, defaults, overrides)


__all__ = [
    "CURRENCY", "OPENED_AT", "REPORTED_ON", "SALE_DATE", "make_card_evidence", "make_claim_facts",
    "make_coverage_item", "make_followup_answer", "make_job_facts", "make_job_item", "make_product",
    "make_provider_candidate", "make_rating_facts", "make_refund_facts", "make_request_facts",
    "make_resolution_context", "make_sale", "make_service_event", "make_warranty_terms",
]

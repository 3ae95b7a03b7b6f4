"""Hypothesis strategies for the contract's value objects: facts as the core could build them.

Each strategy draws facts the core can produce (a card code that matches was given; an IBAN owner that
matches is on file; a rating count of 0 has no average), with amounts in one ``currency`` so a plugin may add
them up; dates that follow one another do (a sale, then its installation, then the training sign-off; a
component's cover ends on or after the warranty starts); hours, kilometres and rates are never negative. Literal
choices (request kinds, event kinds, refund sources, routing steps) are read from the value objects, so a kind
the contract adds is drawn too.

    from hypothesis import given
    from aftersales.contract.testing import strategies as facts

    @given(request=facts.request_facts())
    def test_every_request_gets_a_clock(tenant_context, plugin_hooks, request): ...
"""

from __future__ import annotations

import functools
import string
import typing
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from hypothesis import strategies as st

from aftersales.contract.money import Money
from aftersales.contract.testing.factories import CURRENCY
from aftersales.contract.values import (
    COMPONENT_CODE,
    REQUEST_KINDS,
    ROUTING_STEPS,
    BusinessCalendarInfo,
    CardEvidence,
    ClaimDecision,
    ClaimFacts,
    ClaimKind,
    CoverageItem,
    DefectType,
    FollowUpAnswer,
    GeoPoint,
    JobFacts,
    JobItem,
    LateDelivery,
    PartFacts,
    PluginSettings,
    ProductInfo,
    ProviderCandidate,
    RatingFacts,
    RefundFacts,
    RefundMethod,
    RequestFacts,
    ResolutionContext,
    SaleInfo,
    ServiceEvent,
    TenantContext,
    VerticalInfo,
    WarrantyTerms,
)

FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2045, 12, 31)

CHANNELS = ("phone", "hotline", "web", "portal", "email", "service_centre", "fax", "letter", "api")
COUNTRIES = ("IR", "CN", "GE", "AM", "TR", "DE", "US")
PLACES = (
    ("IR", "IRR", "Asia/Tehran", (5,)),
    ("CN", "CNY", "Asia/Shanghai", (6, 7)),
    ("GE", "GEL", "Asia/Tbilisi", (6, 7)),
    ("US", "USD", "America/New_York", (6, 7)),
    ("DE", "EUR", "Europe/Berlin", (6, 7)),
)
"""(country, currency, time zone, weekend days) of the tenants :func:`tenant_contexts` draws."""


def _literal(cls: type, field: str) -> st.SearchStrategy[str]:
    return st.sampled_from(typing.get_args(typing.get_type_hints(cls)[field]))


def _optional(strategy: st.SearchStrategy) -> st.SearchStrategy:
    return st.none() | strategy


words = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=24)
"""Short free text as people type it (any script, no control characters)."""
dates = st.dates(FIRST_DAY, LAST_DAY)
instants = st.datetimes(datetime(2000, 1, 1), datetime(2045, 12, 31), timezones=st.just(UTC))
"""Aware UTC datetimes, as the core stores them."""
geo_points = st.builds(GeoPoint, st.floats(-89.9, 89.9), st.floats(-179.9, 179.9))


def quantities(most: int, places: int = 1) -> st.SearchStrategy[Decimal]:
    """Non-negative decimals up to ``most`` with ``places`` decimal places (hours of labour, kilometres)."""
    return st.decimals(min_value=0, max_value=most, places=places, allow_nan=False, allow_infinity=False)


COMPONENTS = ("machine", "laser_source", "parts", "consumables", "compressor", "engine", "battery", "screen")


@functools.cache
def component_codes() -> st.SearchStrategy[str]:
    """Component codes as verticals name them: lower-case identifiers of at most 40 characters."""
    return st.sampled_from(COMPONENTS) | st.from_regex(COMPONENT_CODE, fullmatch=True)


def coverage_items(start: date) -> st.SearchStrategy[tuple[CoverageItem, ...]]:
    """Per-component cover of a warranty starting on ``start``: each component once, each ending on or after
    ``start`` (or at the unit's warranty end), some excluded with the reason the customer is told."""
    item = st.builds(CoverageItem, component=component_codes(),
                     ends_on=_optional(st.integers(0, 5000).map(lambda days: start + timedelta(days=days))),
                     covered=st.booleans(), reason=st.sampled_from(["", "consumables are not covered"]))
    return st.lists(item, max_size=4, unique_by=lambda it: it.component).map(tuple)


@functools.cache
def money(currency: str = CURRENCY, *, min_minor: int = 0, max_minor: int = 10**12) -> st.SearchStrategy[Money]:
    """Amounts of ``currency`` between ``min_minor`` and ``max_minor`` minor units."""
    return st.builds(Money, st.integers(min_minor, max_minor), st.just(currency))


@functools.cache
def serials() -> st.SearchStrategy[str]:
    """Serials as typed: IMEI-like digits (also Persian), VIN-like codes, model codes, and arbitrary text."""
    model_codes = st.builds(str.__add__, st.text(string.ascii_letters, min_size=2, max_size=3),
                            st.text(string.digits, min_size=4, max_size=12).map(lambda digits: "-" + digits)
                            | st.text(string.digits, min_size=4, max_size=12))
    return st.one_of(
        st.text(string.digits, min_size=14, max_size=16),
        st.text("۰۱۲۳۴۵۶۷۸۹", min_size=15, max_size=15),
        st.text("ABCDEFGHJKLMNPRSTUVWXYZ0123456789", min_size=17, max_size=17),
        model_codes,
        st.text(max_size=30),
    )


@functools.cache
def products() -> st.SearchStrategy[ProductInfo]:
    """Catalogue models, some with size, weight or a warranty override."""
    return st.builds(
        ProductInfo,
        sku=st.sampled_from(["PH-1", "RF-500", "RF-SBS-560", "WM-7KG", "LIFT-4T", "GL-CUT-3000"])
        | st.text(string.ascii_uppercase + string.digits + "-", min_size=1, max_size=20),
        name=words.filter(str.strip) | st.just("Test product"),
        category=st.sampled_from(["", "general", "phone", "refrigerator", "lift", "laser"]),
        volume_m3=_optional(st.floats(0, 20, allow_nan=False)),
        weight_kg=_optional(st.floats(0, 5000, allow_nan=False)),
        warranty_months=_optional(st.integers(1, 120)),
    )


@functools.cache
def sales(currency: str = CURRENCY) -> st.SearchStrategy[SaleInfo]:
    """Sales, some with a later exchange, some installed and signed off: sold on or before installation, installed
    on or before the training sign-off (a sign-off may be recorded with no installation date)."""
    days_later, prices = _optional(st.integers(0, 900)), _optional(money(currency, min_minor=1))

    @st.composite
    def sale(draw: st.DrawFn) -> SaleInfo:
        sold_on = draw(dates)

        def after(day: date | None) -> date | None:
            days = draw(days_later)
            return None if days is None or day is None else min(day + timedelta(days=days), LAST_DAY)

        exchanged, installed = after(sold_on), after(sold_on)
        return SaleInfo(sold_on=sold_on, price=draw(prices), seller=draw(words), invoice_number=draw(words),
                        exchanged_on=exchanged, installed_on=installed, training_signed_off_on=after(installed or sold_on))

    return sale()


@functools.cache
def warranty_terms() -> st.SearchStrategy[WarrantyTerms]:
    """Terms a vertical could have given: the end on or after the start, windows after the start, some with
    per-component cover (:func:`coverage_items`)."""
    lengths = st.integers(0, 3700)
    windows = {most: _optional(st.integers(0, most)) for most in (30, 60, 5000)}

    @st.composite
    def terms(draw: st.DrawFn) -> WarrantyTerms:
        start = draw(dates)

        def after(most: int) -> date | None:
            days = draw(windows[most])
            return None if days is None else start + timedelta(days=days)

        end = start + timedelta(days=draw(lengths))
        return WarrantyTerms(warranty_start=start, warranty_end=end, parts_support_end=after(5000),
                             return_until=after(30), exchange_until=after(60),
                             restarts_on_exchange=draw(st.booleans()), coverage=draw(coverage_items(start)))

    return terms()


@functools.cache
def claim_facts() -> st.SearchStrategy[ClaimFacts]:
    """Claims of every kind with any combination of recorded facts, about the whole unit or one component."""
    return st.builds(
        ClaimFacts,
        kind=st.sampled_from(ClaimKind),
        reported_on=dates,
        defect=st.sampled_from(DefectType),
        packaging_complete=st.booleans(),
        accessories_complete=st.booleans(),
        product_number_matches=st.booleans(),
        parts_replaced_or_removed=st.booleans(),
        misuse_or_damage=st.booleans(),
        receipts_shown=st.booleans(),
        warranty_voucher_shown=st.booleans(),
        paid_in_full=st.booleans(),
        delivered_sealed=_optional(st.booleans()),
        installed_by_authorised_technician=_optional(st.booleans()),
        sold_by_tenant=st.booleans(),
        component=_optional(component_codes()),
        product=products(),
    )


@functools.cache
def request_facts() -> st.SearchStrategy[RequestFacts]:
    """Requests of every kind and channel, with or without a product, location, country, service points and the
    site's distance to the nearest of them."""
    return st.builds(
        RequestFacts,
        kind=st.sampled_from(REQUEST_KINDS),
        channel=st.sampled_from(CHANNELS),
        opened_at=instants,
        product=_optional(products()),
        under_warranty=st.booleans(),
        customer_location=_optional(geo_points),
        customer_country=_optional(st.sampled_from(COUNTRIES) | st.sampled_from(COUNTRIES).map(str.lower)),
        service_points=st.lists(geo_points, max_size=4).map(tuple),
        complaint_subject=_optional(st.sampled_from(["staff_behaviour", "store_violation", "delay"]) | words),
        site_distance_km=_optional(quantities(20_000)),
    )


@functools.cache
def service_events() -> st.SearchStrategy[ServiceEvent]:
    """Every kind of event the contract names, after any kind of request."""
    return st.builds(ServiceEvent, kind=_literal(ServiceEvent, "kind"), occurred_at=instants,
                     request_kind=_optional(st.sampled_from(REQUEST_KINDS)), product=_optional(products()))


@functools.cache
def resolution_contexts(currency: str = CURRENCY) -> st.SearchStrategy[ResolutionContext]:
    """Repairs at any point of their time in service, with or without the prices a refund needs."""
    return st.builds(
        ResolutionContext,
        request=request_facts(),
        business_days_in_service=st.integers(0, 400),
        invoice_price=_optional(money(currency, min_minor=1)),
        invoice_price_was_market_price=_optional(st.booleans()),
        expert_price=_optional(money(currency, min_minor=1)),
        replacement_approved_by_expert=st.booleans(),
    )


CODES = ("OIL-5W30", "OIL-10W40", "FILTER-1", "PART-1", "PART-2")


@functools.cache
def job_items(currency: str = CURRENCY) -> st.SearchStrategy[JobItem]:
    """Parts and consumables from a small price list (so what was asked for and what was used overlap)."""
    return st.builds(JobItem, code=st.sampled_from(CODES), name=words, quantity=st.integers(1, 20),
                     unit_price=money(currency, max_minor=10**10))


@functools.cache
def job_facts(currency: str = CURRENCY) -> st.SearchStrategy[JobFacts]:
    """Jobs in and out of warranty, at the workshop or far away, with parts and consumables, some priced by the
    hour and the km (hours, distance and the tenant's rates, each known or not)."""
    return st.builds(
        JobFacts,
        offering=st.sampled_from(["repair", "installation", "oil_change", "maintenance"]) | words,
        labour_price=money(currency, max_minor=10**10),
        parts=st.lists(job_items(currency), max_size=4).map(tuple),
        consumables_requested=st.lists(st.sampled_from(CODES), max_size=3, unique=True).map(tuple),
        consumables_used=st.lists(job_items(currency), max_size=3).map(tuple),
        distance_km=st.floats(0, 3000, allow_nan=False),
        under_warranty=st.booleans(),
        sold_by_tenant=st.booleans(),
        offering_category=st.sampled_from(["", "installation", "repair", "service", "maintenance"]),
        labour_hours=_optional(quantities(1000, places=2)),
        visit_distance_km=_optional(quantities(3000)),
        labour_rate_per_hour=_optional(money(currency, max_minor=10**9)),
        travel_rate_per_km=_optional(money(currency, max_minor=10**8)),
    )


@functools.cache
def rating_facts() -> st.SearchStrategy[RatingFacts]:
    """Ratings either way, of completed or open, paid or unpaid jobs, in bursts or alone."""
    return st.builds(
        RatingFacts,
        stars=st.integers(1, 5),
        direction=_literal(RatingFacts, "direction"),
        job_completed=st.booleans(),
        job_paid=st.booleans(),
        ratings_by_rater_last_24h=st.integers(0, 50),
        comment=words,
        earlier_ratings_of_same_party=st.integers(0, 20),
    )


@functools.cache
def provider_candidates(currency: str = CURRENCY) -> st.SearchStrategy[ProviderCandidate]:
    """Providers near and far, rated or new (no ratings: no average), with or without a free slot."""
    counts, averages, prices = st.integers(0, 500), st.floats(1, 5), money(currency, max_minor=10**10)
    distances, slots = st.floats(0, 500, allow_nan=False), _optional(instants)

    @st.composite
    def candidate(draw: st.DrawFn) -> ProviderCandidate:
        count = draw(counts)
        return ProviderCandidate(
            provider_id=draw(st.uuids()),
            rating_average=draw(averages) if count else None,
            rating_count=count,
            price=draw(prices),
            distance_km=draw(distances),
            next_free_slot=draw(slots),
            authorised=draw(st.booleans()),
        )

    return candidate()


@functools.cache
def candidate_lists(currency: str = CURRENCY, max_size: int = 8) -> st.SearchStrategy[list[ProviderCandidate]]:
    """The candidates of one search: distinct providers."""
    return st.lists(provider_candidates(currency), max_size=max_size, unique_by=lambda c: c.provider_id)


@functools.cache
def refund_facts(currency: str = CURRENCY) -> st.SearchStrategy[RefundFacts]:
    """Refunds of every source, with what the customer has proven (an IBAN owner matches only when one is on
    file; a wallet balance only for a wallet refund) and, for some, the claim they come from (its kind, decision
    and component) and whether the unit is installed (None when the refund names no unit)."""
    sources, amount = _literal(RefundFacts, "source"), money(currency, min_minor=1)
    maybe_amount, maybe_days, maybe_bool = _optional(amount), _optional(st.integers(0, 2000)), _optional(st.booleans())
    methods, purposes = _optional(st.sampled_from(RefundMethod)), _optional(st.sampled_from(["job", "repair", "order"]))
    kinds, decisions, components = st.sampled_from(ClaimKind), st.sampled_from(ClaimDecision), _optional(component_codes())

    @st.composite
    def refund(draw: st.DrawFn) -> RefundFacts:
        source = draw(sources)
        iban, claimed = draw(st.booleans()), draw(st.booleans())
        return RefundFacts(
            source=source,
            requested=draw(amount),
            paid=draw(maybe_amount),
            paid_in_full=draw(st.booleans()),
            identity_verified=draw(st.booleans()),
            iban_owner_matches_national_id=iban and draw(st.booleans()),
            days_since_sale=draw(maybe_days),
            invoice_price=draw(maybe_amount),
            invoice_price_was_market_price=draw(maybe_bool),
            expert_price=draw(maybe_amount),
            wanted=draw(methods),
            iban_on_file=iban,
            wallet_balance=draw(amount) if source == "wallet_balance" else None,
            purpose=draw(purposes),
            installed=draw(maybe_bool),
            claim_kind=draw(kinds) if claimed else None,
            claim_decision=draw(decisions) if claimed else None,
            claim_component=draw(components) if claimed else None,
        )

    return refund()


@functools.cache
def late_deliveries(currency: str = CURRENCY) -> st.SearchStrategy[LateDelivery]:
    """Orders one day to three years late, of any total, with or without a production date."""
    return st.builds(
        LateDelivery, order_number=st.integers(1, 10**9), total=money(currency),
        promised_on=st.dates(date(2000, 1, 1), date(2090, 12, 31)), days_late=st.integers(1, 1100),
        production_on=_optional(st.dates(date(1990, 1, 1), date(2090, 12, 31))))


@functools.cache
def followup_answers() -> st.SearchStrategy[FollowUpAnswer]:
    """Answered follow-ups and answered steps of their routing: problems reported or not, a score 1–5 or none,
    after any steps taken so far (never ``close``, which ends a routing)."""
    steps = [step for step in ROUTING_STEPS if step != "close"]
    return st.builds(
        FollowUpAnswer,
        plan_name=st.sampled_from(["satisfaction_survey", "installation_check", "quarterly_visit"]),
        answers=st.dictionaries(words.filter(str.strip), st.sampled_from(["yes", "no"]) | words, max_size=3),
        problem_reported=st.booleans(),
        answered_at=instants,
        routing=st.lists(st.sampled_from(steps), max_size=4).map(tuple),
        comment=words,
        csat=st.none() | st.integers(min_value=1, max_value=5),
    )


@functools.cache
def card_evidence() -> st.SearchStrategy[CardEvidence]:
    """What a public check can learn: a code matches only when given, and only if the unit has one on record."""
    @st.composite
    def evidence(draw: st.DrawFn) -> CardEvidence:
        has_card, has_hologram = draw(st.booleans()), draw(st.booleans())
        card_given, hologram_given = draw(st.booleans()), draw(st.booleans())
        return CardEvidence(
            card_code_given=card_given,
            card_code_matches=card_given and has_card and draw(st.booleans()),
            hologram_code_given=hologram_given,
            hologram_code_matches=hologram_given and has_hologram and draw(st.booleans()),
            unit_has_card_code=has_card,
            unit_has_hologram=has_hologram,
        )

    return evidence()


@functools.cache
def tenant_contexts(info: VerticalInfo) -> st.SearchStrategy[TenantContext]:
    """Tenants of the plugin ``info`` describes, with its default settings, in countries and currencies of
    several kinds (a Friday weekend in Iran, rials without minor units, euros with two)."""
    places = st.sampled_from(PLACES)

    @st.composite
    def tenant(draw: st.DrawFn) -> TenantContext:
        country, currency, time_zone, weekend = draw(places)
        calendar = BusinessCalendarInfo(country=country, weekend_days=weekend, business_hours=("08:00", "17:00"))
        if info.kind == "vertical":
            vertical, settings, addons = info.name, info.settings_schema(), {}
        else:
            vertical, settings, addons = "none", PluginSettings(), {info.name: info.settings_schema()}
        return TenantContext(id=draw(st.uuids()), slug="test-tenant", vertical=vertical, country=country,
                             currency=currency, time_zone=time_zone, locales=("en",), calendar=calendar,
                             settings=settings, addon_settings=addons)

    return tenant()


def part_facts() -> st.SearchStrategy[PartFacts]:
    """Parts of a catalogue: a part number, a name, worn in use or not."""
    return st.builds(PartFacts, code=words.filter(str.strip), name=words, wear_part=st.booleans())

"""The value objects of the plugin contract: what hooks receive and what they return.

All are frozen dataclasses built by the core from its records (never ORM objects), so a plugin can neither
reach the database nor another tenant, and every decision is reproducible from its inputs. Decisions carry
``reasons``: sentences a call-centre agent can read to a customer, stored with the record they decided.
The hooks themselves are specified in :mod:`aftersales.contract.hookspecs`; the guide is ``docs/plugins.md``.
"""

from __future__ import annotations

import enum
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Literal, TypeVar, get_args

from dateutil.relativedelta import relativedelta
from pydantic import BaseModel, ConfigDict

from aftersales.contract.money import Money

# ---------------------------------------------------------------------------------------------------------
# Plugins and tenants
# ---------------------------------------------------------------------------------------------------------


class PluginSettings(BaseModel):
    """Base of every plugin's settings schema: typed fields with defaults; a tenant manifest overrides them.

    Validated at onboarding with every field error reported at once; unknown keys are refused. The defaults are
    validated too: a plugin whose default breaks its own field rule is disabled at start-up.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)


SettingsT = TypeVar("SettingsT", bound=PluginSettings)


@dataclass(frozen=True)
class VerticalInfo:
    """Who a plugin is. Returned by ``aftersales_vertical_info``; declared once per plugin."""

    name: str
    """Stable identifier, the entry-point name (``electronics``); tenants name it in their manifest."""
    title: str
    version: str
    description: str
    settings_schema: type[PluginSettings]
    kind: Literal["vertical", "addon"] = "vertical"
    """A tenant enables exactly one ``vertical`` and any number of ``addon`` plugins."""
    requires_core: str = ">=0.1"
    """PEP 440 specifier of the core versions this plugin works with."""


Channel = Literal["phone", "hotline", "portal", "email", "walk_in", "social", "letter", "fax"]
CHANNELS: tuple[str, ...] = get_args(Channel)
"""How a request came in; the API's ``channel`` takes exactly these. The seeds' channels: in person (``walk_in``),
the support phone (``phone``), the website form and the customer's own service ticket (``portal``), social channels
(``social``), e-mail, letter and fax (seed 004), and a 24-hour hotline or call centre on a short number
(``hotline``: Entekhab's 24/7 call centre, Golden Laser's hotline), which a tenant may declare open around the
clock (:attr:`BusinessCalendarInfo.around_the_clock_channels`)."""


@dataclass(frozen=True)
class BusinessCalendarInfo:
    """A tenant's working time: holidays of ``country`` (the ``holidays`` package) plus its own closures."""

    country: str
    weekend_days: tuple[int, ...]
    """ISO weekdays (1 = Monday … 7 = Sunday) with no business hours."""
    business_hours: tuple[str, str]
    """Opening and closing local time, ``("08:00", "17:00")``."""
    closures: tuple[date, ...] = ()
    hours_by_weekday: Mapping[int, tuple[str, str]] | None = None
    """Hours that differ on some ISO weekdays, e.g. ``{4: ("08:00", "13:00")}`` for a half-day Thursday.

    Weekend days stay closed. A closing time of ``"24:00"`` is midnight at the end of the day, so
    ``("00:00", "24:00")`` (here or in ``business_hours``) is open all day.
    """
    around_the_clock_channels: tuple[Channel, ...] = ()
    """Request channels the tenant keeps open 24/7 (Entekhab's call centre, Golden Laser's 24-hour hotline): the
    SLA clocks of a request opened on one count every hour of every day, not the office hours above."""


@dataclass(frozen=True)
class TenantContext:
    """The tenant a hook is called for, with its vertical's validated settings."""

    id: uuid.UUID
    slug: str
    vertical: str
    country: str
    currency: str
    time_zone: str
    locales: tuple[str, ...]
    calendar: BusinessCalendarInfo
    settings: PluginSettings
    """The tenant's settings for its vertical: an instance of that vertical's ``settings_schema``."""
    addon_settings: Mapping[str, PluginSettings] = field(default_factory=dict)

    def settings_as(self, schema: type[SettingsT]) -> SettingsT:
        """The vertical's settings, typed as ``schema``; a tenant of another vertical here is a caller's bug."""
        if not isinstance(self.settings, schema):
            raise TypeError(f"tenant {self.slug!r} carries {type(self.settings).__name__}, not {schema.__name__}")
        return self.settings


# ---------------------------------------------------------------------------------------------------------
# Catalogue and serials
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProductInfo:
    """A product model from the tenant's catalogue."""

    sku: str
    name: str
    category: str = ""
    volume_m3: float | None = None
    weight_kg: float | None = None
    warranty_months: int | None = None
    """A per-model override of the vertical's warranty length, when the catalogue sets one."""
    attributes: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SerialCheck:
    """The verdict on one serial: valid with its normalised form, or invalid with the reason."""

    valid: bool
    normalized: str
    scheme: str
    """Which rule judged it: ``imei``, ``vin``, ``pattern:<name>``, ``any``."""
    reason: str | None = None

    @classmethod
    def accept(cls, normalized: str, scheme: str) -> SerialCheck:
        return cls(valid=True, normalized=normalized, scheme=scheme)

    @classmethod
    def refuse(cls, serial: str, scheme: str, reason: str) -> SerialCheck:
        return cls(valid=False, normalized=serial, scheme=scheme, reason=reason)


@dataclass(frozen=True)
class CardEvidence:
    """What a public check learned about a unit's warranty card: which codes were given and whether each
    matched the registry. A code neither given nor on record is simply absent."""

    card_code_given: bool
    card_code_matches: bool
    """False when given and wrong, or given for a unit with no card code on record."""
    hologram_code_given: bool
    hologram_code_matches: bool
    unit_has_card_code: bool
    unit_has_hologram: bool


@dataclass(frozen=True)
class CardVerdict:
    """The vertical's verdict on a warranty card, with the reasons a customer is told."""

    genuine: bool
    reasons: tuple[str, ...] = ()


# ---------------------------------------------------------------------------------------------------------
# Warranty
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SaleInfo:
    """The purchase a warranty runs from, as registered."""

    sold_on: date
    price: Money | None = None
    seller: str = ""
    invoice_number: str = ""
    exchanged_on: date | None = None
    """Date of the last accepted exchange of this unit, if any (some terms restart from it)."""
    installed_on: date | None = None
    """When the unit was installed or commissioned at the customer's site, as staff recorded it; None until then."""
    training_signed_off_on: date | None = None
    """When the customer signed off the installation training (tenant-local date); None until then. The core
    decides the warranty again when it is recorded, so terms that start here take effect at once."""


COMPONENT_CODE = re.compile(r"[a-z][a-z0-9_]{0,39}")
"""What a component code looks like: a lower-case identifier of at most 40 characters (``laser_source``)."""


def is_component_code(code: str) -> bool:
    """Whether ``code`` is a plain identifier a vertical may name a component by."""
    return COMPONENT_CODE.fullmatch(code) is not None


@dataclass(frozen=True)
class CoverageItem:
    """One component's own cover under a warranty: the machine 12 months, the laser source 24, parts 8 years,
    consumables not at all.

    ``component`` is a code the vertical chooses (a lower-case identifier: ``machine``, ``laser_source``,
    ``parts``, ``consumables``); a claim names it (:attr:`ClaimReport.component`). ``ends_on`` is the last day
    the component is covered (None: until the unit's ``warranty_end``); an item with ``covered=False`` is
    excluded, and its ``reason`` is what the customer is told. ``name`` is what people call the component, a
    phrase the vertical says (``_("laser source")``) so each reader reads it in their language; without one
    the code is shown with spaces (``laser source``), in English.
    """

    component: str
    ends_on: date | None
    covered: bool = True
    reason: str = ""
    name: str = ""

    def __post_init__(self) -> None:
        if not is_component_code(self.component):
            raise ValueError(f"coverage item {self.component!r}: a component code is a lower-case identifier "
                             "(letters, digits, underscores; at most 40)")

    @property
    def label(self) -> str:
        """What a sentence or a page calls the component: its ``name``, else its code with spaces."""
        return self.name or self.component.replace("_", " ")


@dataclass(frozen=True)
class WarrantyTerms:
    """What a warranty covers and until when; stored with the coverage it produced. ``warranty_end`` equal to
    ``warranty_start`` means no free warranty is given (coverage status ``no_warranty``)."""

    warranty_start: date
    warranty_end: date
    parts_support_end: date | None = None
    return_until: date | None = None
    exchange_until: date | None = None
    restarts_on_exchange: bool = False
    exclusions: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    coverage: tuple[CoverageItem, ...] = ()
    """Per-component cover, each with its own end; empty when the whole unit is covered alike."""

    def __post_init__(self) -> None:
        codes = [item.component for item in self.coverage]
        if len(codes) != len(set(codes)):
            raise ValueError(f"coverage items name a component twice: {sorted(codes)}")

    def item(self, component: str) -> CoverageItem | None:
        """The coverage item of ``component``, or None when the terms name no such component."""
        return next((item for item in self.coverage if item.component == component), None)

    def covered_until(self, item: CoverageItem) -> date | None:
        """The last day ``item`` is covered (its own end, else the unit's warranty end); None when excluded."""
        if not item.covered:
            return None
        return item.ends_on or self.warranty_end


class ClaimKind(enum.StrEnum):
    RETURN = "return"
    EXCHANGE = "exchange"
    WARRANTY_REPAIR = "warranty_repair"
    PAID_REPAIR = "paid_repair"


class DefectType(enum.StrEnum):
    NONE = "none"
    QUALITY = "quality"
    FUNCTIONAL = "functional"
    COSMETIC = "cosmetic"
    INSTALLATION_DAMAGE = "installation_damage"


class ClaimDecision(enum.StrEnum):
    RETURN = "return"
    EXCHANGE = "exchange"
    FREE_REPAIR = "free_repair"
    PAID_REPAIR = "paid_repair"
    REJECT = "reject"


@dataclass(frozen=True)
class ClaimReport:
    """The facts of one claim as the agent or technician records them (what the claim API takes)."""

    kind: ClaimKind
    reported_on: date
    defect: DefectType = DefectType.NONE
    packaging_complete: bool = False
    accessories_complete: bool = False
    product_number_matches: bool = False
    parts_replaced_or_removed: bool = False
    misuse_or_damage: bool = False
    receipts_shown: bool = False
    warranty_voucher_shown: bool = False
    paid_in_full: bool = False
    delivered_sealed: bool | None = None
    installed_by_authorised_technician: bool | None = None
    sold_by_tenant: bool = True
    component: str | None = None
    """The component or wear part the claim is about, one of the terms' coverage codes
    (:attr:`CoverageItem.component`); None when the claim is about the unit as a whole."""


@dataclass(frozen=True)
class ClaimFacts(ClaimReport):
    """A recorded claim with the product it is about: what the vertical's rules look at."""

    product: ProductInfo = field(kw_only=True)


@dataclass(frozen=True)
class ClaimAssessment:
    """The vertical's decision on a claim, with every failed condition in words an agent can read out."""

    decision: ClaimDecision
    failed_conditions: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    requires_onsite_visit: bool = False
    arrange_by_phone_first: bool = False


# ---------------------------------------------------------------------------------------------------------
# Service requests and SLA
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GeoPoint:
    latitude: float
    longitude: float


@dataclass(frozen=True)
class RequestFacts:
    """A service request as the SLA and resolution rules see it."""

    kind: str
    """repair, installation, maintenance, return, exchange, complaint, inquiry."""
    channel: str
    opened_at: datetime
    product: ProductInfo | None = None
    under_warranty: bool = False
    customer_location: GeoPoint | None = None
    customer_country: str | None = None
    service_points: tuple[GeoPoint, ...] = ()
    complaint_subject: str | None = None
    site_distance_km: Decimal | None = None
    """From the unit's site (``customer_location``) to the nearest active service point, to 0.1 km; None when
    the site or every service point is unknown. ``customer_country`` is the site's country when it is not the
    tenant's (an overseas customer or complaint)."""


SlaClockKind = Literal["calendar", "business_hours", "business_days"]

MILESTONES = ("opened", "contacted", "on_site", "answered", "ended")
"""What a request can reach besides its states (see :class:`SlaTarget`): ``opened``; ``contacted`` (an agent
recorded the first contact with the customer); ``on_site`` (the technician recorded arrival); ``answered``
(a complaint was answered); ``ended`` (any final state)."""

HoldReason = Literal["waiting_for_customer", "customer_unreachable", "waiting_for_third_party"]
HOLD_REASONS: tuple[str, ...] = get_args(HoldReason)
"""Why a request may be put on hold; a clock pauses for the hold reasons in its ``pauses_on``."""


@dataclass(frozen=True)
class SlaTarget:
    """One clock on a request: how long, on which clock, when it starts and is met, what pauses it, and what
    happens on breach.

    ``starts_on`` and each of ``met_on`` name a milestone: one of :data:`MILESTONES`, a request state the
    request enters (``waiting_for_parts``, ``ready`` …) or ``left:<state>`` (the request leaves that state).
    A clock starts once; reaching a ``met_on`` milestone stops it (met, or met late after a breach), and so
    does the end of the request (an ended request promises nothing more), whatever ``met_on`` says.
    ``pauses_on`` names hold reasons (:data:`HOLD_REASONS`) and states during which the clock stands still.

    ``clock``: ``calendar`` counts every hour; ``business_hours`` counts the tenant's opening hours;
    ``business_days`` means "within N business days" (the same local time N business days later, then
    counted in opening hours while paused and resumed), so ``duration`` must be whole days.
    """

    name: str
    """Stable key, e.g. ``first_contact``, ``onsite``, ``result``, ``complaint_response``."""
    duration: timedelta
    clock: SlaClockKind
    starts_on: str = "opened"
    met_on: tuple[str, ...] = ("ended",)
    pauses_on: tuple[str, ...] = ("waiting_for_customer",)
    on_breach: Literal["notify", "reassign", "raise_priority", "offer_replacement"] = "notify"
    at_risk_fraction: float = 0.8
    """Share of the duration used after which the clock shows ``at_risk`` (Yizhongyi's "2–4 h": 0.5 of 4 h)."""
    reason: str = ""

    def __post_init__(self) -> None:
        if self.duration <= timedelta(0):
            raise ValueError(f"SLA {self.name!r}: duration must be positive")
        if self.clock == "business_days" and self.duration % timedelta(days=1):
            raise ValueError(f"SLA {self.name!r}: a business_days clock takes whole days")
        if not 0 < self.at_risk_fraction <= 1:
            raise ValueError(f"SLA {self.name!r}: at_risk_fraction must be in (0, 1]")
        if not self.met_on:
            raise ValueError(f"SLA {self.name!r}: met_on names at least one milestone")


@dataclass(frozen=True)
class ResolutionOption:
    """One way to resolve a request the customer may choose, e.g. a replacement or a refund."""

    kind: Literal["repair", "replacement", "refund"]
    amount: Money | None = None
    reason: str = ""


@dataclass(frozen=True)
class ResolutionContext:
    """What the resolution rule needs: how long the unit has been in service and what was paid."""

    request: RequestFacts
    business_days_in_service: int
    invoice_price: Money | None = None
    invoice_price_was_market_price: bool | None = None
    expert_price: Money | None = None
    replacement_approved_by_expert: bool = False
    """The service's experts judged the unit due for replacement, whatever the clock says."""


@dataclass(frozen=True)
class ServiceEvent:
    """Something that happened to a customer's request or unit, after which follow-ups may be due."""

    kind: Literal["installed", "repaired", "request_closed", "training_signed_off", "sold"]
    occurred_at: datetime
    request_kind: str | None = None
    product: ProductInfo | None = None


@dataclass(frozen=True)
class FollowUpPlan:
    """A follow-up call, message or survey to schedule ``after`` an event, optionally repeated.

    ``after`` and ``repeat_every`` are a :class:`~datetime.timedelta` or, for calendar months ("+3 months",
    "monthly"), a :class:`dateutil.relativedelta.relativedelta`. A repeated plan runs ``repeat_count`` times
    in all (None: until the unit's warranty ends, or 12 times when there is no warranty).
    """

    name: str
    after: timedelta | relativedelta
    channel: Literal["call", "sms", "email", "portal"]
    questionnaire: tuple[str, ...] = ()
    repeat_every: timedelta | relativedelta | None = None
    repeat_count: int | None = None


RoutingStep = Literal["engineer", "rnd", "call_back", "close"]
ROUTING_STEPS: tuple[str, ...] = get_args(RoutingStep)
"""Where an answered follow-up goes next: to an ``engineer``; to ``rnd`` (research and development, by a work
contact letter); ``call_back`` (call the customer back); or ``close`` (nothing more to do)."""


@dataclass(frozen=True)
class FollowUpAnswer:
    """An answered follow-up, or an answered step of its routing, as the vertical sees it.

    ``answers`` maps each question of the questionnaire to what was answered (``yes``, ``no`` or free text).
    ``routing`` lists the steps already taken for the original follow-up, oldest first (``()`` when the plan's
    own follow-up was answered, ``("engineer",)`` when the engineer's step was). ``csat`` is the satisfaction
    score given with the answers, 1 (very dissatisfied) to 5 (very satisfied), None when none was given.
    """

    plan_name: str
    answers: Mapping[str, str]
    problem_reported: bool
    answered_at: datetime
    routing: tuple[str, ...] = ()
    comment: str = ""
    csat: int | None = None


@dataclass(frozen=True)
class FollowUpRouting:
    """The next step of an answered follow-up, with the reason staff read and, optionally, when it is due
    (None: at once) and the questions its answer records (None: the core's question for the step)."""

    step: RoutingStep
    reason: str
    due_at: datetime | None = None
    questionnaire: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        if self.step not in ROUTING_STEPS:
            raise ValueError(f"follow-up routing: step must be one of {', '.join(ROUTING_STEPS)}, not {self.step!r}")
        if not str(self.reason).strip():
            raise ValueError("follow-up routing: a step carries its reason")
        if self.due_at is not None and self.due_at.tzinfo is None:
            raise ValueError("follow-up routing: due_at needs a time zone")


# ---------------------------------------------------------------------------------------------------------
# Marketplace
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OfferingSpec:
    """An entry of a vertical's default service catalogue, seeded into a tenant's catalogue at onboarding."""

    code: str
    """Stable key, lower-case with underscores (``oil_change``): how customers and bookings name the offering."""
    name: str
    category: str
    duration_minutes: int
    skill: str | None = None
    """The skill a provider needs to offer it, when any."""
    warranty_needs_authorisation: bool = False
    """In-warranty jobs go only to providers the tenant has authorised (Entekhab, seed 001)."""


@dataclass(frozen=True)
class JobItem:
    """A part or consumable on a job: its code on the tenant's price list, its name, how many, at what unit
    price (parts: the manufacturer's list price)."""

    code: str
    name: str
    quantity: int
    unit_price: Money

    @property
    def price(self) -> Money:
        """The unit price times the quantity."""
        return Money(self.unit_price.amount_minor * self.quantity, self.unit_price.currency)


@dataclass(frozen=True)
class JobFacts:
    """A job to price: the offering, the provider's labour price, the parts and consumables the provider names
    (priced from the tenant's list), what the customer asked for, the distance and the warranty."""

    offering: str
    labour_price: Money
    parts: tuple[JobItem, ...] = ()
    consumables_requested: tuple[str, ...] = ()
    """Codes of the consumables the customer asked for when booking."""
    consumables_used: tuple[JobItem, ...] = ()
    distance_km: float = 0.0
    """From the provider's location to the customer's site; 0 for a job at the workshop."""
    under_warranty: bool = False
    sold_by_tenant: bool = True
    """Whether the unit is one the tenant sold (registered with it); seed 003 charges others in full."""
    offering_category: str = ""
    """The catalogue category of the offering (``installation``, ``repair``, ``service`` …)."""
    labour_hours: Decimal | None = None
    """How long the work takes: the offering's duration on a booking, what staff estimate on a service request;
    None when unknown."""
    visit_distance_km: Decimal | None = None
    """How far the visit travels: the provider to the customer's site on a booking, the nearest service point to
    the unit's site on a service request; None for work at the workshop or when a site is unknown."""
    labour_rate_per_hour: Money | None = None
    """The tenant's hourly labour rate (its price list's ``labour_hour`` entry), when it has one."""
    travel_rate_per_km: Money | None = None
    """The tenant's travel rate per km (its price list's ``travel_km`` entry), when it has one."""


LineKind = Literal["labour", "part", "consumable", "travel", "discount", "fee"]
"""What a quote line charges for."""


@dataclass(frozen=True)
class QuoteLine:
    """One priced line; a discount is a negative amount."""

    kind: LineKind
    description: str
    amount: Money
    covered_by_warranty: bool = False


@dataclass(frozen=True)
class Quote:
    """An itemised quote; once accepted it caps what the customer can be charged."""

    lines: tuple[QuoteLine, ...]
    reasons: tuple[str, ...] = ()
    refused: tuple[str, ...] = ()
    """Why the job cannot be quoted as asked (e.g. consumables the customer did not request); when any, the
    core stores no quote and answers with these reasons."""
    platform_fee_bps: int = 0
    """The platform's fee on what is charged against this quote, in basis points (1000 = 10 %)."""
    binding: bool = True
    """Once accepted, the quote caps the charge: the customer never pays more than it plus the approved changes
    (seed 002). False: it is an estimate, and the job may be charged more."""
    extra_work_needs_consent: bool = True
    """Work beyond the accepted quote is chargeable only through a change request the customer approved first
    (seed 002). False: extra work the provider records is chargeable without it (and counts in the cap)."""

    def total(self, currency: str) -> Money:
        """What the customer pays: every line not covered by warranty."""
        total = Money(0, currency)
        for line in self.lines:
            if not line.covered_by_warranty:
                total = total + line.amount
        return total


@dataclass(frozen=True)
class RatingFacts:
    """A rating about to be counted, with what the rater did recently.

    The rater is an account: the customer, or the provider (the business, whichever of its users rates).
    ``job_paid``: the job's charge was created through the platform, or nothing was owed (an accepted quote of
    0). ``ratings_by_rater_last_24h`` counts the rater's earlier ratings of any status in the 24 hours before
    this one; ``earlier_ratings_of_same_party`` its earlier ratings (counted or held) of the same provider or
    customer, ever.
    """

    stars: int
    direction: Literal["customer_rates_provider", "provider_rates_customer"]
    job_completed: bool
    job_paid: bool
    ratings_by_rater_last_24h: int = 0
    comment: str = ""
    earlier_ratings_of_same_party: int = 0


@dataclass(frozen=True)
class RatingDecision:
    """Refuse a rating (``accepted=False``: nothing is written, the rater is told the reasons), or accept it
    with a ``weight`` (>= 0) in the aggregates; ``flagged`` holds it uncounted until a reviewer decides."""

    accepted: bool
    weight: float = 1.0
    flagged: bool = False
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProviderCandidate:
    """A provider that can do the offering for the customer's place: its nearest covering location's distance,
    its price, its counted rating, and, on the page's second ranking, its next free slot (None on the first
    ranking of every candidate, and when nothing is free within the search horizon). ``authorised``: the
    tenant's authorisation holds today."""

    provider_id: uuid.UUID
    rating_average: float | None
    rating_count: int
    price: Money
    distance_km: float
    next_free_slot: datetime | None = None
    authorised: bool = False


@dataclass(frozen=True)
class RankedProvider:
    provider_id: uuid.UUID
    score: float
    reasons: tuple[str, ...] = ()


# ---------------------------------------------------------------------------------------------------------
# Deliveries
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LateDelivery:
    """An order past its promised delivery date: what the vertical's compensation may depend on.

    ``days_late`` counts the tenant-local days from the promised date (1 on the day after it): up to today for
    the notice the customer is sent, up to the delivery day when a late order is delivered.
    """

    order_number: int
    total: Money
    """What the order costs, in the tenant's currency."""
    promised_on: date
    days_late: int
    production_on: date | None = None
    """When its products were (or are to be) produced, as the warehouse said at allocation; None if unknown."""


@dataclass(frozen=True)
class LateDeliveryCompensation:
    """What a late order's customer is given: ``amount`` (zero for nothing) and the rule, in words the
    customer reads in the notice (``reason``)."""

    amount: Money
    reason: str

    def __post_init__(self) -> None:
        if self.amount.amount_minor < 0:
            raise ValueError(f"a compensation cannot be negative ({self.amount})")
        if not str(self.reason).strip():
            raise ValueError("a compensation says which rule gives it")


# ---------------------------------------------------------------------------------------------------------
# Payments
# ---------------------------------------------------------------------------------------------------------


class RefundMethod(enum.StrEnum):
    """How refunded money reaches the customer."""

    ORIGINAL_PAYMENT = "original_payment"
    """Back through the payment's own provider (the card; cash handed back)."""
    WALLET = "wallet"
    """As store credit in the customer's wallet."""
    BANK_TRANSFER = "bank_transfer"
    """Sent by finance to the customer's IBAN (Sheba), with the bank's reference recorded."""


@dataclass(frozen=True)
class RefundFacts:
    """A refund asked for, with what the customer has proven about themselves.

    The core computes every fact (hooks do no I/O): ``paid`` is what the payment captured and has not yet
    refunded, ``paid_in_full`` whether it captured its whole amount, ``days_since_sale`` counts calendar days
    in the tenant's time zone from the purchase date of the registered unit the refund is about (its claim's or
    service request's registration; None when it names no unit — never counted from the payment),
    ``identity_verified`` means staff verified the customer's identity and the
    national ID passes its check digit, ``iban_owner_matches_national_id`` that the bank confirmed the IBAN on
    file belongs to that same national ID.
    """

    source: Literal["wallet_balance", "payment", "return", "replacement_refund"]
    requested: Money
    paid: Money | None = None
    paid_in_full: bool = True
    identity_verified: bool = False
    iban_owner_matches_national_id: bool = False
    days_since_sale: int | None = None
    invoice_price: Money | None = None
    invoice_price_was_market_price: bool | None = None
    expert_price: Money | None = None
    wanted: RefundMethod | None = None
    """The method the customer asked for; None when they left it to the policy."""
    iban_on_file: bool = False
    """The customer has an IBAN (Sheba) on file, whoever owns it."""
    wallet_balance: Money | None = None
    """For a ``wallet_balance`` refund: what the wallet holds now."""
    purpose: str | None = None
    """What the refunded payment paid for (``job`` for a marketplace job, ``repair``, ``order``), if any."""
    installed: bool | None = None
    """Whether the unit the refund is about was installed (an installation date or a training sign-off is on
    its registration); None when the refund names no unit (no claim, or a service request without one)."""
    claim_kind: ClaimKind | None = None
    """The kind of the claim the refund comes from (named on the refund or on its service request), if any."""
    claim_decision: ClaimDecision | None = None
    """How that claim was decided (a return, a free repair, a rejection …), if the refund comes from one."""
    claim_component: str | None = None
    """The component that claim named (:attr:`ClaimReport.component`), if any."""


@dataclass(frozen=True)
class RefundDecision:
    """How much may be refunded, how, and what must be shown first.

    A decision grants a refund when ``allowed`` is above zero and no requirement is missing; otherwise it is a
    refusal, and ``methods`` lists what is offered instead (e.g. store credit), ``requirements`` what the
    customer must bring first (``identity_verified``, ``iban``, ``iban_owner_matches_national_id``,
    ``expert_price``, ``sale_date``), ``reasons`` why, in words an agent can read to the customer.
    """

    allowed: Money
    methods: tuple[RefundMethod, ...]
    requirements: tuple[str, ...] = ()
    needs_finance_approval: bool = False
    reasons: tuple[str, ...] = ()

    @property
    def granted(self) -> bool:
        """The refund may go ahead (subject to finance approval when ``needs_finance_approval``)."""
        return self.allowed.amount_minor > 0 and not self.requirements and bool(self.methods)


# ---------------------------------------------------------------------------------------------------------
# Order desk
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrderTerms:
    """How a vertical's order desk treats an order waiting for its money (``aftersales_order_terms``).

    Every period is a whole number the core counts in the tenant's calendar and time zone.
    """

    proforma_valid_business_days: int
    """A pro-forma may be paid until the end of this business day, the day it was issued counting as the first
    when it is a business day (Entekhab: 7)."""
    unfunded_followup_days: int
    """An order still unfunded after this many days is on the follow-up list (Entekhab: a month)."""
    bounced_cheque_wait_days: int = 0
    """Days a customer waits after a cheque bounced before presenting it again (0: at once; Entekhab: 14)."""
    cheque_approval_business_days: int | None = None
    """Business days a cheque that funds an order may stay uncleared before it is escalated to finance; None:
    never escalated."""
    unfunded_cancel_days: int | None = None
    """An order still unfunded this many days after it was taken is cancelled automatically (never while its
    cheque escalation is open); None: never cancelled automatically."""
    national_id_required: bool = False
    """An order needs the customer's national ID, on file or given with the order (Entekhab: registration
    with the national ID)."""

    def __post_init__(self) -> None:
        for name in ("proforma_valid_business_days", "unfunded_followup_days"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")
        if self.bounced_cheque_wait_days < 0:
            raise ValueError("bounced_cheque_wait_days must not be negative")
        for name in ("cheque_approval_business_days", "unfunded_cancel_days"):
            value = getattr(self, name)
            if value is not None and value < 1:
                raise ValueError(f"{name} must be at least 1, or None")


# ---------------------------------------------------------------------------------------------------------
# Request kinds
# ---------------------------------------------------------------------------------------------------------


REQUEST_KINDS: tuple[str, ...] = ("repair", "installation", "maintenance", "return", "exchange", "complaint", "inquiry")
"""Every kind of service request the platform knows; a tenant takes those its vertical offers."""


@dataclass(frozen=True)
class RequestKinds:
    """The kinds of service request a tenant takes (``aftersales_request_kinds``), and why it takes no others.

    The core lists only ``offered`` kinds in its forms and refuses any other with a 422 naming ``kind``, with the
    refusal's sentence for that kind (the core's own when the vertical gives none).
    """

    offered: tuple[str, ...]
    """Kinds of :data:`REQUEST_KINDS` the tenant takes, in the order forms list them."""
    refusals: Mapping[str, str] = field(default_factory=dict)
    """Why a kind not offered is refused, a sentence per kind (e.g. Carmax: "returns are not offered")."""

    def __post_init__(self) -> None:
        unknown = sorted(set(self.offered) - set(REQUEST_KINDS))
        if unknown or not self.offered:
            raise ValueError(f"offered must be some of {REQUEST_KINDS}, not {unknown or 'none'}")
        if len(set(self.offered)) != len(self.offered):
            raise ValueError("offered names a kind twice")
        wrong = sorted(set(self.refusals) - (set(REQUEST_KINDS) - set(self.offered)))
        if wrong:
            raise ValueError(f"refusals explain kinds that are offered or unknown: {wrong}")

    def refusal(self, kind: str) -> str | None:
        """Why ``kind`` is refused (None when it is offered, or the vertical gave no sentence)."""
        return None if kind in self.offered else self.refusals.get(kind)


# ---------------------------------------------------------------------------------------------------------
# Units on the move: intake
# ---------------------------------------------------------------------------------------------------------


INTAKE_ITEM_KINDS: tuple[str, ...] = ("yes_no", "text", "photos")
"""How an intake item is answered: a yes or no, a short text, or photos of the unit."""


@dataclass(frozen=True)
class IntakeItem:
    """One question asked when a unit is taken in (Mehr: "is the original box handed in?")."""

    code: str
    """Stable id of the item (``box``): the key of its answer; lower-case letters, digits and ``_``."""
    label: str
    """The question as staff and the customer's receipt read it: a :class:`~aftersales.contract.text.Message`."""
    kind: str
    """One of :data:`INTAKE_ITEM_KINDS`."""
    required: bool = True
    """A required item must be answered (a ``photos`` item with at least one photo) before the unit is taken in."""

    def __post_init__(self) -> None:
        if not is_component_code(self.code):
            raise ValueError(f"intake item code {self.code!r} must be lower-case letters, digits and _")
        if self.kind not in INTAKE_ITEM_KINDS:
            raise ValueError(f"intake item kind must be one of {INTAKE_ITEM_KINDS}, not {self.kind!r}")
        if not str(self.label).strip():
            raise ValueError(f"intake item {self.code!r} needs a label")


@dataclass(frozen=True)
class IntakeChecklist:
    """What a vertical checks when a unit is taken in (``aftersales_intake_checklist``), and how long the unit
    may be on its way between two service points before it is reported missing."""

    items: tuple[IntakeItem, ...]
    """The questions, in the order the form and the receipt list them; codes unique."""
    transfer_expected_business_days: int
    """A transfer of this unit not received within this many business days of being sent is a missing unit."""

    def __post_init__(self) -> None:
        codes = [item.code for item in self.items]
        if len(set(codes)) != len(codes):
            raise ValueError("intake checklist names an item code twice")
        if self.transfer_expected_business_days < 1:
            raise ValueError("transfer_expected_business_days must be at least 1")

    def item(self, code: str) -> IntakeItem | None:
        """The item with ``code``, or None."""
        return next((item for item in self.items if item.code == code), None)


# ---------------------------------------------------------------------------------------------------------
# Used parts
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartFacts:
    """A part of the tenant's catalogue, as a vertical judges it: its code, name and whether it wears in use."""

    code: str
    name: str
    wear_part: bool = False


@dataclass(frozen=True)
class UsedPartTerms:
    """The customer's warranty on a used part (one taken from a donor unit) fitted in a repair
    (``aftersales_used_part_terms``): how many days it is covered from fitting (0: not at all), and why."""

    warranty_days: int
    reasons: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not 0 <= self.warranty_days <= 3660:
            raise ValueError("warranty_days must be between 0 and 3660")


# ---------------------------------------------------------------------------------------------------------
# Technician dispatch
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DispatchTerms:
    """How a vertical plans its technicians' on-site visits (``aftersales_dispatch_terms``)."""

    plan_cutoff_hour: int | None = None
    """The local hour (0–23) at which the next day's plan is fixed, on the last business day before that day
    (Yizhongyi: "the afternoon before"); at it the planned visits are fixed and their technicians and customers
    told, and a visit still unplanned is flagged. None: no cut-off (the dispatcher fixes a day's plan by hand)."""
    warranty_needs_authorisation: bool = False
    """An in-warranty visit goes only to a technician holding a valid authorisation for the product's category
    on the visit's day (Entekhab)."""

    def __post_init__(self) -> None:
        if self.plan_cutoff_hour is not None and not 0 <= self.plan_cutoff_hour <= 23:
            raise ValueError("plan_cutoff_hour must be an hour of the day, 0 to 23, or None")

"""The plugin contract: everything a vertical or add-on plugin imports, and nothing else.

A plugin imports from this package only (``from aftersales.contract import hookimpl, WarrantyTerms, Money``);
import-linter fails the build when a plugin reaches anything else of the core. The modules behind it:

* :mod:`.hookspecs`: every hook, documented (the guide is ``docs/plugins.md``), and the ``hookimpl`` marker;
* :mod:`.values`: the frozen value objects hooks receive and return;
* :mod:`.defaults`: the core's own answer to every hook (registered ``trylast``), for a plugin to build on;
* :mod:`.claims`, :mod:`.serial_patterns`, :mod:`.settings_rules`: helpers for claim rules, serial formats and
  settings schemas; :mod:`.numerals` and :mod:`.money`: digits as people type them, and money without floats;
* :mod:`.text`: :class:`Message`, the translatable sentences plugins say (``_ = messages(domain)``).
"""

from aftersales.contract import defaults
from aftersales.contract.claims import Checklist, is_large_item
from aftersales.contract.hookspecs import ENTRY_POINT_GROUP, PROJECT, hookimpl, hookspec
from aftersales.contract.money import Money
from aftersales.contract.numerals import ascii_digits
from aftersales.contract.serial_patterns import check_pattern
from aftersales.contract.settings_rules import at_least, valid_regular_expression
from aftersales.contract.text import Message, messages
from aftersales.contract.values import (
    HOLD_REASONS,
    MILESTONES,
    ROUTING_STEPS,
    BusinessCalendarInfo,
    CardEvidence,
    CardVerdict,
    ClaimAssessment,
    ClaimDecision,
    ClaimFacts,
    ClaimKind,
    ClaimReport,
    CoverageItem,
    DefectType,
    FollowUpAnswer,
    FollowUpPlan,
    FollowUpRouting,
    GeoPoint,
    JobFacts,
    JobItem,
    LateDelivery,
    LateDeliveryCompensation,
    OfferingSpec,
    OrderTerms,
    PluginSettings,
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
    ResolutionContext,
    ResolutionOption,
    RoutingStep,
    SaleInfo,
    SerialCheck,
    ServiceEvent,
    SettingsT,
    SlaTarget,
    TenantContext,
    VerticalInfo,
    WarrantyTerms,
    is_component_code,
)

__all__ = [
    "BusinessCalendarInfo", "CardEvidence", "CardVerdict", "Checklist", "ClaimAssessment", "ClaimDecision",
    "ClaimFacts", "ClaimKind", "ClaimReport", "CoverageItem", "DefectType", "ENTRY_POINT_GROUP", "FollowUpAnswer", "FollowUpPlan",
    "FollowUpRouting", "GeoPoint", "HOLD_REASONS", "JobFacts", "JobItem", "LateDelivery",
    "LateDeliveryCompensation", "MILESTONES", "Message", "Money",
    "OfferingSpec", "OrderTerms", "PROJECT", "PluginSettings", "ProductInfo", "ProviderCandidate", "Quote", "QuoteLine",
    "ROUTING_STEPS", "RankedProvider", "RatingDecision", "RatingFacts", "RefundDecision", "RefundFacts",
    "RefundMethod", "RequestFacts", "ResolutionContext", "ResolutionOption", "RoutingStep", "SaleInfo",
    "SerialCheck", "ServiceEvent", "SettingsT", "SlaTarget", "TenantContext", "VerticalInfo", "WarrantyTerms",
    "ascii_digits", "at_least", "check_pattern", "defaults", "hookimpl", "hookspec", "is_component_code", "is_large_item", "messages",
    "valid_regular_expression",
]

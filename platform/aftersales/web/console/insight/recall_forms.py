"""What the recall pages' forms carry, and the service's refusals in the reader's language.

The rules stay in :mod:`aftersales.warranty.recalls.services` and :mod:`aftersales.warranty.recalls.units`; this module only
words their field reasons and refusals for a recall coordinator (a reason it does not know is shown as given).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from aftersales.errors import AftersalesError, InvalidInput, NotFound
from aftersales.warranty.recalls import services as recalls
from aftersales.warranty.recalls import units as recall_units
from aftersales.web.portal.rendering import Page

CAMPAIGN_FIELDS = ("title", "reason", "remedy", "model_sku", "batch", "serial_from", "serial_to")
LIMITS = {"title": recalls.MAX_TITLE, "reason": recalls.MAX_REASON, "remedy": recalls.MAX_REMEDY,
          "note": recall_units.MAX_FIX_NOTE}


@dataclass(frozen=True)
class Problem:
    """Why an action was refused: a reason for the whole action, or a reason per field; and what was typed."""

    action: str = ""
    reason: str | None = None
    fields: dict[str, str] = field(default_factory=dict)
    typed: dict[str, str] = field(default_factory=dict)

    def about(self, action: str, serial: str | None = None) -> bool:
        """Whether this problem belongs to ``action`` (on the unit ``serial``, for unit actions)."""
        return self.action == action and (serial is None or self.typed.get("serial") == serial)


def draft_of(typed: dict[str, str]) -> recalls.CampaignDraft:
    """The service's draft from the form's fields (an empty selection field is no criterion)."""
    return recalls.CampaignDraft(title=typed["title"], reason=typed["reason"], remedy=typed["remedy"],
                                 **{name: typed[name] or None for name in CAMPAIGN_FIELDS[3:]})


def field_reasons(page: Page, exc: InvalidInput) -> dict[str, str]:
    """Each refused field's reason in the reader's language (the first reason per field)."""
    reasons: dict[str, str] = {}
    for error in exc.errors:
        reasons.setdefault(error.field, _field_reason(page, error.field, error.reason))
    return reasons


def _field_reason(page: Page, name: str, reason: str) -> str:
    _ = page.translations.gettext
    if reason == "must not be empty":
        return _("Write this; it cannot be empty.")
    if reason.startswith("must be at most"):
        return _("Too long: at most %(count)s characters.") % {
            "count": page.fmt.number(LIMITS[name])} if name in LIMITS else reason
    if reason.startswith("no product model"):
        return _("No product model has this SKU.")
    if reason.startswith("select the units"):
        return _("Choose the units: a model, a batch, a serial range, or several.")
    if "needs both" in reason:
        return _("A serial range needs both its first and its last serial.")
    if "same length" in reason:
        return _("The first and last serials of a range must be the same length.")
    if "comes before" in reason:
        return _("The last serial comes before the first: give the range from its first serial to its last.")
    if reason == "say what was done":
        return _("Say what was done to the unit.")
    return reason


_REFUSALS = (
    (re.compile(r"only a draft can be launched"), "launched"),
    (re.compile(r"selects no unit in service"), "nothing"),
    (re.compile(r"register changed"), "changed"),
    (re.compile(r"is closed|was closed at"), "closed"),
    (re.compile(r"is a draft: launch it"), "draft"),
    (re.compile(r"is not one of the units"), "not_recalled"),
    (re.compile(r" was fixed at "), "fixed"),
)


def refusal(page: Page, exc: AftersalesError) -> str:
    """Why the service refused an action, in the reader's language."""
    _ = page.translations.gettext
    words = {
        "launched": _("Only a draft can be launched; this campaign was launched or closed already."),
        "nothing": _("The campaign selects no unit in service: there is nothing to recall."),
        "changed": _("The register changed while the campaign was launching; nothing was launched. Try again."),
        "closed": _("The campaign is closed."),
        "draft": _("The campaign is a draft: launch it before recording acknowledgements or fixes."),
        "not_recalled": _("This unit is not one the campaign recalled."),
        "fixed": _("This unit is already recorded as fixed."),
    }
    if isinstance(exc, NotFound):
        return _("No unit with this serial is on the register.")
    for pattern, key in _REFUSALS:
        if pattern.search(exc.detail):
            return words[key]
    return exc.detail

"""What the recall pages' forms carry, and the service's refusals in the reader's language.

The rules stay in :mod:`aftersales.warranty.recalls.services` and :mod:`aftersales.warranty.recalls.units`; this module only
words their field reasons and refusals for a recall coordinator (a reason it does not know is shown as given).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from aftersales.errors import AftersalesError, FieldError, InvalidInput, NotFound
from aftersales.warranty.recalls import services as recalls
from aftersales.web.portal.rendering import Page

CAMPAIGN_FIELDS = ("title", "reason", "remedy", "model_sku", "batch", "serial_from", "serial_to")


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
        reasons.setdefault(error.field, _field_reason(page, error))
    return reasons


def _field_reason(page: Page, error: FieldError) -> str:
    """The reason for the rule ``error.code`` names; one without a code (a serial the vertical refuses, in the
    vertical's words) is shown as given."""
    _ = page.translations.gettext
    words = {
        "recall.empty": lambda: _("Write this; it cannot be empty."),
        "recall.too_long": lambda: _("Too long: at most %(count)s characters.") % {
            "count": page.fmt.number(error.params["limit"])},
        "recall.unknown_model": lambda: _("No product model has this SKU."),
        "recall.no_selection": lambda: _("Choose the units: a model, a batch, a serial range, or several."),
        "recall.range_incomplete": lambda: _("A serial range needs both its first and its last serial."),
        "recall.range_lengths_differ": lambda: _("The first and last serials of a range must be the same length."),
        "recall.range_reversed": lambda: _(
            "The last serial comes before the first: give the range from its first serial to its last."),
        "recall.fix_note_missing": lambda: _("Say what was done to the unit."),
    }
    worded = words.get(error.code or "")
    return worded() if worded is not None else error.reason


def refusal(page: Page, exc: AftersalesError) -> str:
    """Why the service refused an action, in the reader's language (by the error's code; one without a code is
    shown as given)."""
    _ = page.translations.gettext
    if isinstance(exc, NotFound):
        return _("No unit with this serial is on the register.")
    words = {
        "recall.not_draft": lambda: _("Only a draft can be launched; this campaign was launched or closed already."),
        "recall.nothing_to_recall": lambda: _("The campaign selects no unit in service: there is nothing to recall."),
        "recall.register_changed": lambda: _(
            "The register changed while the campaign was launching; nothing was launched. Try again."),
        "recall.closed": lambda: _("The campaign is closed."),
        "recall.campaign_is_draft": lambda: _(
            "The campaign is a draft: launch it before recording acknowledgements or fixes."),
        "recall.unit_not_recalled": lambda: _("This unit is not one the campaign recalled."),
        "recall.unit_fixed": lambda: _("This unit is already recorded as fixed."),
    }
    worded = words.get(exc.code or "")
    return worded() if worded is not None else exc.detail

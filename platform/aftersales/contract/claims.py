"""Building blocks for the claim rules verticals write in ``aftersales_assess_claim``.

A rule is a list of conditions, each with the words an agent reads out when it fails. :class:`Checklist`
collects every failure (never just the first), so a customer learns everything missing in one call.
"""

from __future__ import annotations

from datetime import date

from aftersales.contract.text import CORE_DOMAIN, messages
from aftersales.contract.values import ProductInfo

_ = messages(CORE_DOMAIN)


class Checklist:
    """The failed conditions of one claim, in the order they were checked."""

    def __init__(self) -> None:
        self.failed: list[str] = []

    def require(self, holds: bool | None, failure: str, *, unrecorded: str | None = None) -> None:
        """Record ``failure`` unless ``holds``; a fact nobody recorded (None) fails with ``unrecorded``."""
        if holds is None:
            self.failed.append(unrecorded or failure)
        elif not holds:
            self.failed.append(failure)

    def within(self, reported_on: date, until: date | None, what: str) -> None:
        """Require ``reported_on`` to fall on or before ``until``, the last day of ``what`` (a phrase the plugin
        translates: ``_("warranty")``)."""
        if until is None:
            self.failed.append(_("no {what} applies to this purchase", what=what))
        elif reported_on > until:
            self.failed.append(_("the {what} ended on {until}; the claim was reported on {reported}",
                                 what=what, until=until, reported=reported_on))

    @property
    def passed(self) -> bool:
        return not self.failed

    def as_tuple(self) -> tuple[str, ...]:
        return tuple(self.failed)


def is_large_item(product: ProductInfo, max_volume_m3: float, max_weight_kg: float) -> bool:
    """Over ``max_volume_m3`` or over ``max_weight_kg`` (seed 003: "> 1 m³ or > 100 kg"); unknown size is not large."""
    return (product.volume_m3 or 0) > max_volume_m3 or (product.weight_kg or 0) > max_weight_kg

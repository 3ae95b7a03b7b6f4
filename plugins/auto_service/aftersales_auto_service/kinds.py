"""The request kinds an auto-service tenant takes: returns and exchanges only where its settings give them.

Yizhongyi (seed 003) gives both (包退 7 days, 包换 15 days), so it takes every kind. Carmax (seed 002, a marketplace
that sells no cars) gives neither (``return_days = exchange_days = 0``), so a return or exchange request is refused
with the reason, and the console's forms never offer one (issue 19 §2.2).
"""

from __future__ import annotations

from aftersales.contract import REQUEST_KINDS, RequestKinds, messages
from aftersales_auto_service.settings import AutoServiceSettings

_ = messages("aftersales_auto_service")


def request_kinds(settings: AutoServiceSettings) -> RequestKinds:
    """Every kind but a return without a return window and an exchange without an exchange window."""
    refusals = {}
    if not settings.return_days:
        refusals["return"] = _("returns are not offered: a unit is not taken back for a refund")
    if not settings.exchange_days:
        refusals["exchange"] = _("exchanges are not offered: a unit is not swapped for a new one")
    return RequestKinds(offered=tuple(kind for kind in REQUEST_KINDS if kind not in refusals), refusals=refusals)

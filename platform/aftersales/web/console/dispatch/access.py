"""Who may use the dispatch pages: the scopes the dispatch API asks for (:mod:`aftersales.dispatch.api`)."""

from __future__ import annotations

from aftersales.identity.scopes import DISPATCH_OWN, DISPATCH_PLAN, DISPATCH_READ

BOARD_SCOPE = DISPATCH_READ
"""Reading the board, the technicians and any technician's day sheet (dispatchers)."""
PLAN_SCOPE = DISPATCH_PLAN
"""Assigning visits, fixing the plan, adding and editing technicians (dispatchers)."""
WORK_SCOPE = DISPATCH_OWN
"""Reading one's own day sheet and recording arrival, start and finish on it (technicians)."""

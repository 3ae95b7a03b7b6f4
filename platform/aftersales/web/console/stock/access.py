"""Who may use the stock pages: the scopes the stock API asks for (``stock:read`` to read stock, its ledger,
reservations, the reorder list and return batches; ``stock:write`` to reserve, issue, release, import and move
return batches)."""

from __future__ import annotations

from aftersales.identity.principals import Principal
from aftersales.identity.scopes import STOCK_READ, STOCK_WRITE
from aftersales.web.page_auth import Viewer


def reader(viewer: Viewer) -> Principal:
    """The signed-in staff member, who may read stock. :raises PermissionDenied: they may not."""
    return viewer.staff(STOCK_READ)


def writer(viewer: Viewer) -> Principal:
    """The signed-in staff member, who may change stock. :raises PermissionDenied: they may not."""
    return viewer.staff(STOCK_WRITE)


def can_write(staff: Principal) -> bool:
    """Whether ``staff`` is offered the forms that change stock."""
    return staff.has_scope(STOCK_WRITE)

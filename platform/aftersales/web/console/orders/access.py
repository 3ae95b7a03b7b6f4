"""Who may use the order desk's pages: the scopes the orders API asks for (:mod:`aftersales.orders.api`)."""

from __future__ import annotations

from aftersales.errors import PermissionDenied
from aftersales.identity.principals import Principal
from aftersales.identity.scopes import (
    FULFILMENT_READ,
    FULFILMENT_WRITE,
    INSTALLATIONS_CONFIRM,
    PAYMENTS_READ,
    PAYMENTS_WRITE,
    REQUESTS_READ,
    REQUESTS_WRITE,
    WAREHOUSES_MANAGE,
)
from aftersales.web.page_auth import Viewer

READ_SCOPES = frozenset({REQUESTS_READ, PAYMENTS_READ})
"""Reading orders, as ``GET /api/v1/orders``."""
TAKE_SCOPE = REQUESTS_WRITE
"""Taking an order, issuing its pro-forma, cancelling it (the call centre)."""
PAY_SCOPES = frozenset({REQUESTS_WRITE, PAYMENTS_WRITE})
"""Recording a pro-forma's payment."""
ESCALATION_SCOPE = PAYMENTS_WRITE
"""Closing a cheque escalation (finance)."""
DELIVERY_READ_SCOPE = FULFILMENT_READ
"""Reading an order's delivery, change tickets and festival cards, as ``GET …/fulfilment``."""
DELIVERY_CHANGE_SCOPE = FULFILMENT_WRITE
"""Asking a delivery change for the customer (the call centre)."""
MOVE_SCOPE = FULFILMENT_WRITE
"""Allocating, dispatching and delivering an order, booking its installation, recording a festival card."""
CONFIRM_SCOPE = INSTALLATIONS_CONFIRM
"""Confirming an order's installation with the invoice's date (technicians)."""
WAREHOUSES_SCOPE = WAREHOUSES_MANAGE
"""The warehouses page: listing and adding the tenant's warehouses (admins)."""


def reader(viewer: Viewer) -> Principal:
    """The signed-in staff member, who may read orders. :raises PermissionDenied: they may not."""
    staff = viewer.staff()
    if not READ_SCOPES & staff.scopes:
        raise PermissionDenied("this page needs a permission to read orders")
    return staff


def can_take(staff: Principal) -> bool:
    """Whether ``staff`` may take an order for a customer."""
    return staff.has_scope(TAKE_SCOPE)


def payer(viewer: Viewer) -> Principal:
    """The signed-in staff member, who may record a pro-forma's payment. :raises PermissionDenied: they may not."""
    staff = viewer.staff()
    if not PAY_SCOPES & staff.scopes:
        raise PermissionDenied("this page needs the requests:write or payments:write permission")
    return staff

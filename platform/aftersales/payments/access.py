"""Whose money a caller may see: staff any of the tenant's customers, a customer only their own.

A customer is known by the token's ``customer_id`` (as in :mod:`aftersales.marketplace.access`); payments,
wallets, refunds and refund identities all narrow through this module, so the rule is written once.
"""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.errors import NotFound
from aftersales.identity.models import Customer
from aftersales.identity.principals import Principal

Query = TypeVar("Query")


def acts_for_customer(principal: Principal) -> bool:
    """True for a customer's own token; False for staff and the tenant's API clients."""
    return principal.customer_id is not None


def narrowed(query: Query, customer_column: Any, principal: Principal) -> Query:
    """``query`` limited to the caller's own rows when the caller is a customer."""
    if acts_for_customer(principal):
        return query.where(customer_column == principal.customer_id)  # type: ignore[attr-defined]
    return query


def may_see(principal: Principal, customer_id: uuid.UUID) -> bool:
    """Whether the caller may see ``customer_id``'s money."""
    return not acts_for_customer(principal) or principal.customer_id == customer_id


async def visible_customer(session: AsyncSession, principal: Principal, customer_id: uuid.UUID) -> uuid.UUID:
    """The customer, when ``principal`` may see their money. :raises NotFound: no such customer, or someone
    else."""
    if not may_see(principal, customer_id):
        raise NotFound("no such customer")
    if await session.scalar(select(Customer.id).where(Customer.id == customer_id)) is None:
        raise NotFound("no such customer")
    return customer_id

"""Who is making a request: the value every guard and service looks at."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Literal

PrincipalKind = Literal["operator", "staff", "customer", "client"]
"""Provider users are staff with the ``provider`` role and a ``provider_id``; customers have ``customer_id``."""


@dataclass(frozen=True)
class Principal:
    """An authenticated caller. ``tenant_id`` is None only for platform operators (and operator clients)."""

    kind: PrincipalKind
    subject: str
    tenant_id: uuid.UUID | None
    scopes: frozenset[str] = field(default_factory=frozenset)
    roles: tuple[str, ...] = ()
    provider_id: uuid.UUID | None = None
    """The marketplace provider a provider user works for: they see only that provider's bookings."""
    customer_id: uuid.UUID | None = None
    """The customer a customer token speaks for: they see only their own bookings, quotes and ratings."""

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

"""Who is making a request: the value every guard and service looks at."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Literal

PrincipalKind = Literal["operator", "staff", "customer", "client"]


@dataclass(frozen=True)
class Principal:
    """An authenticated caller. ``tenant_id`` is None only for platform operators (and operator clients)."""

    kind: PrincipalKind
    subject: str
    tenant_id: uuid.UUID | None
    scopes: frozenset[str] = field(default_factory=frozenset)
    roles: tuple[str, ...] = ()

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

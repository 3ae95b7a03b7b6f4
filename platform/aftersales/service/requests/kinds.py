"""The kinds of service request a tenant takes, asked of its vertical (``aftersales_request_kinds``): forms list
only those, and opening a request of another kind is refused on ``kind`` with the vertical's reason."""

from __future__ import annotations

from aftersales.contract.text import CORE_DOMAIN, messages
from aftersales.contract.values import RequestKinds
from aftersales.errors import FieldError
from aftersales.tenancy.current import CurrentTenant

_ = messages(CORE_DOMAIN)


def request_kinds(tenant: CurrentTenant) -> RequestKinds:
    """The tenant's request kinds (its vertical's, else every kind: the core default)."""
    kinds: RequestKinds = tenant.hooks.aftersales_request_kinds(tenant=tenant.context)
    return kinds


def offered(tenant: CurrentTenant, among: tuple[str, ...]) -> tuple[str, ...]:
    """The kinds of ``among`` the tenant takes, in ``among``'s order (what a form lists)."""
    taken = set(request_kinds(tenant).offered)
    return tuple(kind for kind in among if kind in taken)


def kind_refused(tenant: CurrentTenant, kind: str) -> FieldError | None:
    """The error on ``kind`` when the tenant does not take requests of that kind, saying why; None when it does."""
    kinds = request_kinds(tenant)
    if kind in kinds.offered:
        return None
    reason = kinds.refusal(kind) or _("this company does not take requests of this kind")
    return FieldError("kind", reason, code="request.kind_not_offered", params={"kind": kind})

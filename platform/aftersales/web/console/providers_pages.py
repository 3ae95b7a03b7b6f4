"""Marketplace providers in the console: the list with status and rating (``/console/providers``) and a
provider's page (``/console/providers/{id}``) with its ratings, the ratings held for review (accept or reject),
and suspending or activating it with a reason. Staff read with ``marketplace:read`` and act with
``marketplace:manage``; a provider's own user sees its own provider only (another's is not found), as on the
API (:func:`aftersales.marketplace.access.check_reach`)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from aftersales.db.base import utcnow
from aftersales.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from aftersales.http.context import SessionDep, TenantDep
from aftersales.identity.principals import Principal
from aftersales.identity.scopes import MARKETPLACE_MANAGE, MARKETPLACE_READ
from aftersales.marketplace.access import check_reach
from aftersales.marketplace.models import Provider
from aftersales.marketplace.providers import services as service
from aftersales.marketplace.providers.services import NEXT_STATUSES, ProviderFilter, is_authorised
from aftersales.marketplace.ratings import services as ratings
from aftersales.web.console.console_pages import actor_of, console_page, show
from aftersales.web.forms import form_fields
from aftersales.web.page_auth import Viewer, ViewerDep
from aftersales.web.page_controller import PageController

PROVIDER = "/console/providers/{provider_id:uuid}"
LISTED = 200
RATINGS_SHOWN = 50
STATUSES = ("pending", "active", "suspended")


def _reader(viewer: Viewer) -> Principal:
    """Staff with ``marketplace:read``, or a provider's own user."""
    staff = viewer.staff()
    if staff.provider_id is None and not staff.has_scope(MARKETPLACE_READ):
        raise PermissionDenied("this page needs the marketplace:read permission")
    return staff


class ConsoleProviderController(PageController):
    """Provider management and rating review in the staff console."""

    @get("/console/providers")
    async def providers(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                        viewer: ViewerDep) -> Template:
        """Providers by name, optionally of one status; a provider's user sees only its own."""
        staff = _reader(viewer)
        page, clock = console_page(request, tenant, viewer)
        status = str(request.query_params.get("status") or "")
        bad = bool(status) and status not in STATUSES
        if staff.provider_id is not None:
            found = [await service.get_provider(session, staff.provider_id)]
        else:
            found = await service.list_providers(session, ProviderFilter(status=None if bad or not status else status),
                                                 today=tenant.today(), limit=LISTED)
        held = await ratings.held_customer_rating_counts(session, [f.id for f in found])
        return show(request, page, clock, "console/providers.html", status_code=422 if bad else 200,
                    section="providers", providers=found, status="" if bad else status, statuses=STATUSES, bad=bad,
                    held=held, today=tenant.today(), authorised=is_authorised, own=staff.provider_id is not None)

    @get(PROVIDER)
    async def provider(self, request: Request[Any, Any, Any], provider_id: FromPath[UUID], tenant: TenantDep,
                       session: SessionDep, viewer: ViewerDep) -> Template:
        """The provider, its counted and held ratings, and the status actions."""
        staff = _reader(viewer)
        return await _provider_page(request, tenant, session, viewer, staff, provider_id)

    @post(f"{PROVIDER}/status")
    async def change_status(self, request: Request[Any, Any, Any], provider_id: FromPath[UUID], tenant: TenantDep,
                            session: SessionDep, viewer: ViewerDep) -> Template | Redirect:
        """Suspend or activate the provider, with the reason kept on it."""
        staff = viewer.staff(MARKETPLACE_MANAGE)
        typed = await form_fields(request, "status", "reason")
        page = console_page(request, tenant, viewer)[0]
        if not typed["reason"]:
            return await _provider_page(request, tenant, session, viewer, staff, provider_id, status_code=422,
                                        problem=("status", {"reason": page.translations.gettext(
                                            "Say why the status changes.")}, typed))
        try:
            async with session.begin_nested():
                await service.change_status(session, provider_id, typed["status"], typed["reason"])
        except (Conflict, InvalidInput) as exc:
            return await _provider_page(request, tenant, session, viewer, staff, provider_id,
                                        status_code=_status(exc), problem=("status", _reasons(exc), typed))
        return Redirect(page.url(f"/console/providers/{provider_id}"), status_code=303)

    @post(f"{PROVIDER}/ratings/{{rating_id:uuid}}/review")
    async def review(self, request: Request[Any, Any, Any], provider_id: FromPath[UUID], rating_id: FromPath[UUID],
                     tenant: TenantDep, session: SessionDep, viewer: ViewerDep) -> Template | Redirect:
        """Accept a held rating (it counts from now on) or reject it (it never counts)."""
        staff = viewer.staff(MARKETPLACE_MANAGE)
        typed = await form_fields(request, "decision", "note")
        page = console_page(request, tenant, viewer)[0]
        rating = await ratings.rating_of_provider(session, provider_id, rating_id)
        if rating is None:
            raise NotFound("no such rating of this provider")
        if typed["decision"] not in ("accept", "reject"):
            return await _provider_page(request, tenant, session, viewer, staff, provider_id, status_code=422,
                                        problem=("review", page.translations.gettext("Accept or reject."), typed))
        try:
            async with session.begin_nested():
                await ratings.review(session, rating_id, accept=typed["decision"] == "accept", note=typed["note"],
                                     actor=actor_of(staff), now=utcnow())
        except (Conflict, InvalidInput) as exc:
            return await _provider_page(request, tenant, session, viewer, staff, provider_id,
                                        status_code=_status(exc), problem=("review", _reasons(exc), typed))
        return Redirect(page.url(f"/console/providers/{provider_id}"), status_code=303)


def _status(exc: Exception) -> int:
    return 422 if isinstance(exc, InvalidInput) else 409


def _reasons(exc: Conflict | InvalidInput) -> str | dict[str, str]:
    if isinstance(exc, InvalidInput) and exc.errors:
        return {e.field: e.reason for e in exc.errors}
    return exc.detail


async def _provider_page(request: Request[Any, Any, Any], tenant: Any, session: Any, viewer: Viewer,
                         staff: Principal, provider_id: UUID, *, status_code: int = 200,
                         problem: tuple[str, str | dict[str, str], dict[str, str]] | None = None) -> Template:
    check_reach(staff, provider_id, write=False)
    page, clock = console_page(request, tenant, viewer)
    provider: Provider = await service.get_provider(session, provider_id)
    counted = await ratings.public_ratings(session, provider_id, limit=RATINGS_SHOWN)
    held = await ratings.held_customer_ratings(session, provider_id)
    action, reason, typed = problem or ("", "", {})
    return show(request, page, clock, "console/provider_detail.html", status_code=status_code, section="providers",
                provider=provider, counted=[(r, ratings.short_name(name)) for r, name in counted], held=held,
                moves=sorted(NEXT_STATUSES.get(provider.status, ())), can_manage=staff.has_scope(MARKETPLACE_MANAGE),
                authorised=is_authorised(provider, tenant.today()), problem_action=action,
                problem_reason=reason if isinstance(reason, str) else "",
                problem_fields=reason if isinstance(reason, dict) else {}, typed=typed)

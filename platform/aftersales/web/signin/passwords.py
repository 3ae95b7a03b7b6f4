"""Password sign-in pages: staff at ``/console/sign-in`` (with the company's SSO button when it has one) and
operators at ``/ops/sign-in``. Both lock an account for 15 minutes after 5 failures in a row
(:func:`~aftersales.identity.services.check_staff_password`, :func:`~aftersales.identity.services.
check_operator_password`); the failure is committed with the refusal, so a locked account stays locked, and the
refusal is a 429 with ``Retry-After``. Staff attempts also count against the client's sign-in limit
(:mod:`aftersales.accounts.sign_in_limits`): one address spraying many accounts is refused (429) after 20.
"""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template

from aftersales.accounts import sign_in_limits
from aftersales.db.base import utcnow
from aftersales.errors import AuthenticationFailed, RateLimited
from aftersales.http.context import RuntimeDep, SessionDep, TenantDep
from aftersales.http.forwarded import client_address
from aftersales.identity import page_sessions, services
from aftersales.web.forms import field
from aftersales.web.page_auth import (
    ViewerDep,
    operator_cookie,
    safe_next,
    session_cookie,
)
from aftersales.web.page_controller import OperatorPageController, SignInPageController
from aftersales.web.portal.rendering import Page, page_for, platform_page_for, render

MAX_FIELD = 254
MAX_PASSWORD = 1024
MAX_NEXT = 2000


def too_many(page: Page, limited: RateLimited) -> str:
    """The words for a client over its sign-in attempts (:mod:`aftersales.accounts.sign_in_limits`)."""
    _ = page.translations.gettext
    minutes = page.fmt.number(max(1, -(-limited.retry_after // 60)))
    return _("Too many sign-in attempts from your network. Try again in %(minutes)s minutes.") % {"minutes": minutes}


def _refusal(page: Page, failure: AuthenticationFailed) -> tuple[int, str]:
    """The status and the words for a refused sign-in."""
    _ = page.translations.gettext
    if failure.code == "signin.locked":
        minutes = page.fmt.number(int(services.LOCKOUT.total_seconds()) // 60)
        return 429, _("Too many failed sign-ins. This account is locked for %(minutes)s minutes.") % {
            "minutes": minutes}
    return 422, _("Wrong e-mail or password.")


async def _posted(request: Request[Any, Any, Any]) -> tuple[str, str, str]:
    form = await request.form()
    return (field(form, "email")[:MAX_FIELD], str(form.get("password") or "")[:MAX_PASSWORD],
            safe_next(str(form.get("next") or "")[:MAX_NEXT], ""))


def _empty_fields(page: Page, email: str, password: str) -> dict[str, str]:
    _ = page.translations.gettext
    errors = {}
    if not email:
        errors["email"] = _("Enter your e-mail address.")
    if not password:
        errors["password"] = _("Enter your password.")
    return errors


class StaffSignInController(SignInPageController):
    """``/console/sign-in`` on both tenant addresses."""

    @get("/console/sign-in")
    async def form(self, request: Request[Any, Any, Any], tenant: TenantDep, viewer: ViewerDep) -> Template:
        """The staff sign-in form, and the company's SSO button when it has a provider."""
        page = page_for(request, tenant, viewer)
        return render(page, "console/signin.html", email="", errors={}, refusal=None, sso=bool(tenant.record.sso),
                      next=safe_next(str(request.query_params.get("next") or "")[:MAX_NEXT], ""))

    @post("/console/sign-in", status_code=303)
    async def sign_in(self, request: Request[Any, Any, Any], runtime: RuntimeDep, tenant: TenantDep,
                      session: SessionDep, viewer: ViewerDep) -> Template | Redirect:
        """Check the password and open a staff session; the form again with the reason otherwise."""
        page = page_for(request, tenant, viewer)
        email, password, next_path = await _posted(request)
        context = {"email": email, "next": next_path, "sso": bool(tenant.record.sso)}
        errors = _empty_fields(page, email, password)
        if errors:
            return render(page, "console/signin.html", status_code=422, errors=errors, refusal=None, **context)
        now = utcnow()
        try:
            await sign_in_limits.count_attempt(runtime.db, tenant.record.id, code_key=runtime.code_key,
                                               client_address=client_address(request), now=now)
        except RateLimited as limited:
            return render(page, "console/signin.html", status_code=429, errors={}, refusal=too_many(page, limited),
                          headers={"Retry-After": str(limited.retry_after)}, **context)
        outcome = await services.check_staff_password(session, email=email, password=password, now=now)
        if isinstance(outcome, AuthenticationFailed):
            status, refusal = _refusal(page, outcome)
            locked = sign_in_limits.locked(outcome)
            return render(page, "console/signin.html", status_code=status, errors={}, refusal=refusal,
                          headers={"Retry-After": str(locked.retry_after)} if locked else None, **context)
        opened = await page_sessions.open_session(session, principal=outcome, method="password", now=now)
        return Redirect(safe_next(next_path, page.url("/console/")), status_code=303,
                        cookies=[session_cookie(runtime, request, opened, now)])


class OperatorSignInController(OperatorPageController):
    """``/ops/sign-in``."""

    @get("/ops/sign-in")
    async def form(self, request: Request[Any, Any, Any], viewer: ViewerDep) -> Template:
        """The operator sign-in form, in the platform's own look."""
        page = platform_page_for(request, viewer)
        return render(page, "ops/signin.html", email="", errors={}, refusal=None,
                      next=safe_next(str(request.query_params.get("next") or "")[:MAX_NEXT], ""))

    @post("/ops/sign-in", status_code=303)
    async def sign_in(self, request: Request[Any, Any, Any], runtime: RuntimeDep, platform_session: SessionDep,
                      viewer: ViewerDep) -> Template | Redirect:
        """Check the operator's password and open an operator session; the form again with the reason otherwise."""
        page = platform_page_for(request, viewer)
        email, password, next_path = await _posted(request)
        errors = _empty_fields(page, email, password)
        if errors:
            return render(page, "ops/signin.html", status_code=422, email=email, errors=errors, refusal=None,
                          next=next_path)
        now = utcnow()
        outcome = await services.check_operator_password(platform_session, email=email, password=password, now=now)
        if isinstance(outcome, AuthenticationFailed):
            status, refusal = _refusal(page, outcome)
            locked = sign_in_limits.locked(outcome)
            return render(page, "ops/signin.html", status_code=status, email=email, errors={}, refusal=refusal,
                          next=next_path, headers={"Retry-After": str(locked.retry_after)} if locked else None)
        opened = await page_sessions.open_operator_session(platform_session, operator_id=uuid.UUID(outcome.subject),
                                                           now=now)
        return Redirect(safe_next(next_path, "/ops/"), status_code=303, cookies=[operator_cookie(runtime, opened, now)])

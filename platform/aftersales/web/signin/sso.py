"""The staff console's company sign-in: ``/console/sso/start`` sends the browser to the tenant's OpenID Connect
provider, ``/console/sso/callback`` signs the staff member in when every check of
:mod:`aftersales.identity.oidc_sign_in` passes, and shows the sign-in page with the reason otherwise."""

from __future__ import annotations

import logging
from typing import Any

from litestar import Request, get
from litestar.datastructures import Cookie
from litestar.response import Redirect, Template

from aftersales.accounts import sign_in_limits
from aftersales.db.base import utcnow
from aftersales.errors import RateLimited
from aftersales.http.context import RuntimeDep, SessionDep, TenantDep
from aftersales.http.forwarded import client_address
from aftersales.identity import page_sessions
from aftersales.identity.oidc_sign_in import (
    ATTEMPT_LIFETIME,
    SsoProvider,
    SsoRefused,
    finish_sign_in,
    start_sign_in,
)
from aftersales.runtime import Runtime
from aftersales.web.page_auth import ViewerDep, cookie_path, safe_next, session_cookie
from aftersales.web.page_controller import SignInPageController
from aftersales.web.portal.rendering import Page, page_for, render
from aftersales.web.signin.passwords import too_many

log = logging.getLogger(__name__)

STATE_COOKIE = "as_sso"
MAX_NEXT = 2000


def _state_cookie(runtime: Runtime, request: Request[Any, Any, Any], value: str, max_age: int) -> Cookie:
    """The browser's half of the state, sent back only to the callback of this tenant."""
    path = cookie_path(request).rstrip("/") + "/console/sso"
    return Cookie(key=STATE_COOKIE, value=value, path=path, max_age=max_age, httponly=True,
                  secure=runtime.settings.cookie_secure, samesite="lax")


def _callback_url(request: Request[Any, Any, Any], page: Page) -> str:
    return str(request.base_url).rstrip("/") + page.url("/console/sso/callback")


def _reason(page: Page, reason: str) -> str:
    _ = page.translations.gettext
    return {
        "not_configured": _("This company has no company sign-in set up. Sign in with your password."),
        "provider": _("Your company's sign-in service could not be reached. Try again, or sign in with your "
                      "password."),
        "issuer": _("Your company's sign-in service is not the one set up for this company."),
        "state": _("This sign-in has expired or was started in another browser. Start again."),
        "token": _("Your company's sign-in service did not confirm who you are. Start again."),
        "unknown_staff": _("Your company account is not an active staff account here. Ask your administrator."),
        "cancelled": _("The sign-in was cancelled."),
    }[reason]


def _refused(page: Page, tenant: TenantDep, reason: str, status_code: int) -> Template:
    return render(page, "console/signin.html", status_code=status_code, email="", errors={}, next="",
                  refusal=_reason(page, reason), sso=bool(tenant.record.sso))


class SsoSignInController(SignInPageController):
    """``/console/sso/start`` and ``/console/sso/callback`` on both tenant addresses."""

    @get("/console/sso/start")
    async def start(self, request: Request[Any, Any, Any], runtime: RuntimeDep, tenant: TenantDep,
                    session: SessionDep, viewer: ViewerDep) -> Redirect | Template:
        """Send the browser to the company's provider, with state, nonce and the PKCE S256 challenge."""
        page = page_for(request, tenant, viewer)
        next_path = safe_next(str(request.query_params.get("next") or "")[:MAX_NEXT], "")
        try:
            provider = SsoProvider.of(tenant.record)
            url, state = await start_sign_in(session, provider, redirect_uri=_callback_url(request, page),
                                             next_path=next_path, now=utcnow())
        except SsoRefused as refused:
            log.warning("SSO start refused for %s: %s", tenant.record.slug, refused.detail)
            return _refused(page, tenant, refused.reason, 404 if refused.reason == "not_configured" else 502)
        cookie = _state_cookie(runtime, request, state, int(ATTEMPT_LIFETIME.total_seconds()))
        return Redirect(url, status_code=303, cookies=[cookie])

    @get("/console/sso/callback")
    async def callback(self, request: Request[Any, Any, Any], runtime: RuntimeDep, tenant: TenantDep,
                       session: SessionDep, viewer: ViewerDep) -> Redirect | Template:
        """Check the provider's answer and sign the staff member in (the attempt is used up either way)."""
        page = page_for(request, tenant, viewer)
        query = request.query_params
        if query.get("error"):
            return _refused(page, tenant, "cancelled", 403)
        now = utcnow()
        try:
            await sign_in_limits.count_attempt(runtime.db, tenant.record.id, code_key=runtime.code_key,
                                               client_address=client_address(request), now=now)
        except RateLimited as limited:
            return render(page, "console/signin.html", status_code=429, email="", errors={}, next="",
                          refusal=too_many(page, limited), sso=bool(tenant.record.sso),
                          headers={"Retry-After": str(limited.retry_after)})
        try:
            provider = SsoProvider.of(tenant.record)
            principal, next_path = await finish_sign_in(
                session, provider, state=str(query.get("state") or ""), browser_state=request.cookies.get(STATE_COOKIE),
                code=str(query.get("code") or ""), redirect_uri=_callback_url(request, page), now=now)
        except SsoRefused as refused:
            log.warning("SSO sign-in refused for %s: %s", tenant.record.slug, refused.detail)
            return _refused(page, tenant, refused.reason, 403)
        opened = await page_sessions.open_session(session, principal=principal, method="sso", now=now)
        return Redirect(safe_next(next_path, page.url("/console/")), status_code=303,
                        cookies=[session_cookie(runtime, request, opened, now), _state_cookie(runtime, request, "", 0)])

"""Who is looking at a page: the session cookie, CSRF protection, and the redirect to a sign-in page.

Pages never read bearer tokens and the API never reads cookies: a cookie signs a browser in on pages only, so
the API cannot be driven across sites by a visitor's cookie. Every unsafe request to a page must carry the CSRF
token (Litestar's double-submit :class:`~litestar.config.csrf.CSRFConfig`): forms include ``{{ csrf_input }}``,
HTMX sends the ``x-csrftoken`` header that ``base.html`` sets on ``<body>``.

* Tenant pages (portal and staff console): cookie ``as_session`` on the tenant's host, or on ``/t/{slug}`` when
  the tenant comes from the path, so two tenants' sessions on one host never meet.
* Operator console (``/ops``): cookie ``as_ops`` on ``/ops``.

Cookies are HTTP-only, ``SameSite=Lax`` and ``Secure`` (settings ``cookie_secure``; browsers accept ``Secure``
cookies from ``http://localhost`` and ``127.0.0.1`` too, so development keeps them on).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

from litestar import Request
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import Cookie
from litestar.di import NamedDependency, Provide

from aftersales.db.base import utcnow
from aftersales.errors import PermissionDenied
from aftersales.http.context import HOST_TENANT, RuntimeDep, SessionDep
from aftersales.identity import page_sessions
from aftersales.identity.page_sessions import OpenedSession
from aftersales.identity.principals import Principal
from aftersales.runtime import Runtime

SESSION_COOKIE = "as_session"
OPERATOR_COOKIE = "as_ops"
OPERATOR_PATH = "/ops"
CSRF_COOKIE = "as_csrf"
CSRF_HEADER = "x-csrftoken"
NOT_PAGES = (r"^/api/", r"^/oauth/", r"^/public/", r"^/auth/", r"^/t/[^/]+/auth/", r"^/operator/login",
             r"^/\.well-known/", r"^/health", r"^/metrics$", r"^/schema", r"^/static/")
"""Paths that are not pages: bearer-token or public APIs, which take no cookies and so need no CSRF token."""
_NOT_PAGES = re.compile("|".join(NOT_PAGES))


class SignInRequired(Exception):
    """The page needs someone signed in; answered with a redirect to the sign-in page of ``area``."""

    def __init__(self, area: str) -> None:
        super().__init__(area)
        self.area = area


AREAS = {"portal": "/sign-in", "console": "/console/sign-in", "ops": f"{OPERATOR_PATH}/sign-in"}
"""Where each area signs people in (under the tenant's base path, except the operator console)."""


@dataclass(frozen=True)
class Viewer:
    """Who is signed in on this browser, if anyone; page handlers ask for the kind they need."""

    principal: Principal | None
    token: str | None = None

    @property
    def signed_in(self) -> bool:
        return self.principal is not None

    def customer(self) -> Principal:
        """The signed-in customer; anyone else is sent to the portal's sign-in page."""
        if self.principal is None or self.principal.kind != "customer":
            raise SignInRequired("portal")
        return self.principal

    def staff(self, scope: str | None = None) -> Principal:
        """The signed-in staff member (provider users included), holding ``scope`` when one is named."""
        if self.principal is None or self.principal.kind != "staff":
            raise SignInRequired("console")
        if scope is not None and not self.principal.has_scope(scope):
            raise PermissionDenied(f"this page needs the {scope} permission")
        return self.principal

    def operator(self) -> Principal:
        """The signed-in platform operator."""
        if self.principal is None or self.principal.kind != "operator":
            raise SignInRequired("ops")
        return self.principal


ViewerDep = NamedDependency[Viewer]


def cookie_path(request: Request[Any, Any, Any]) -> str:
    """The path a tenant page's session cookie is scoped to: ``/t/{slug}`` or the whole host."""
    slug = request.path_params.get("tenant_slug")
    return f"/t/{slug}" if slug else "/"


async def provide_viewer(request: Request[Any, Any, Any], session: SessionDep) -> Viewer:
    """The person signed in on this tenant's pages (in the request's tenant session), or an anonymous viewer."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return Viewer(None)
    return Viewer(await page_sessions.resolve_session(session, token), token)


async def provide_operator_viewer(request: Request[Any, Any, Any], platform_session: SessionDep) -> Viewer:
    """The operator signed in on the operator console, or an anonymous viewer."""
    token = request.cookies.get(OPERATOR_COOKIE)
    if not token:
        return Viewer(None)
    return Viewer(await page_sessions.resolve_operator_session(platform_session, token), token)


PAGE_DEPENDENCIES = {**HOST_TENANT, "viewer": Provide(provide_viewer)}
"""For tenant pages: ``tenant`` from the host or path, its ``session``, and the ``viewer``."""
OPERATOR_PAGE_DEPENDENCIES = {"viewer": Provide(provide_operator_viewer)}
"""For operator console pages: the ``viewer`` (``platform_session`` is an app-wide dependency)."""


def session_cookie(runtime: Runtime, request: Request[Any, Any, Any], opened: OpenedSession,
                   now: datetime | None = None) -> Cookie:
    """The cookie that signs this browser in on the request's tenant pages."""
    return Cookie(key=SESSION_COOKIE, value=opened.token, path=cookie_path(request),
                  max_age=opened.max_age(now or utcnow()), httponly=True, secure=runtime.settings.cookie_secure,
                  samesite="lax")


def operator_cookie(runtime: Runtime, opened: OpenedSession, now: datetime | None = None) -> Cookie:
    """The cookie that signs an operator's browser in on the operator console."""
    return Cookie(key=OPERATOR_COOKIE, value=opened.token, path=OPERATOR_PATH,
                  max_age=opened.max_age(now or utcnow()), httponly=True, secure=runtime.settings.cookie_secure,
                  samesite="lax")


def cleared_cookie(runtime: Runtime, request: Request[Any, Any, Any], *, operator: bool = False) -> Cookie:
    """A cookie that removes the session cookie (signing out)."""
    if operator:
        return Cookie(key=OPERATOR_COOKIE, value="", path=OPERATOR_PATH, max_age=0, httponly=True,
                      secure=runtime.settings.cookie_secure, samesite="lax")
    return Cookie(key=SESSION_COOKIE, value="", path=cookie_path(request), max_age=0, httponly=True,
                  secure=runtime.settings.cookie_secure, samesite="lax")


def sign_in_url(request: Request[Any, Any, Any], area: str) -> str:
    """The sign-in page of ``area`` that comes back to the page asked for after signing in."""
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    base = "" if area == "ops" else (cookie_path(request).rstrip("/"))
    return f"{base}{AREAS[area]}?next={quote(target, safe='')}"


def safe_next(target: str | None, fallback: str) -> str:
    """Where to go after signing in: a path on this site only (``//evil.example`` and URLs are refused)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return fallback
    return target


def csrf_config(runtime: Runtime) -> CSRFConfig:
    """Double-submit CSRF protection for every page form; its secret is derived from the runtime's code key
    (an HMAC of a fixed label, so the code key itself never leaves the process)."""
    secret = hmac.new(runtime.code_key, b"aftersales page csrf", hashlib.sha256).hexdigest()
    return CSRFConfig(secret=secret, cookie_name=CSRF_COOKIE, header_name=CSRF_HEADER,
                      cookie_secure=runtime.settings.cookie_secure, cookie_httponly=True, cookie_samesite="lax",
                      exclude=list(NOT_PAGES))


def htmx_asked(request: Request[Any, Any, Any]) -> bool:
    """Whether HTMX made ``request`` (it then takes a fragment, or a redirect in ``HX-Redirect``)."""
    return request.headers.get("hx-request") == "true"


def is_page(request: Request[Any, Any, Any]) -> bool:
    """Whether ``request`` is for a page (answered in HTML) rather than the API (answered in JSON)."""
    return _NOT_PAGES.match(request.url.path) is None


__all__ = ["OPERATOR_PAGE_DEPENDENCIES", "PAGE_DEPENDENCIES", "RuntimeDep", "SignInRequired", "Viewer", "ViewerDep",
           "csrf_config", "htmx_asked", "is_page", "provide_viewer", "safe_next", "session_cookie", "sign_in_url"]

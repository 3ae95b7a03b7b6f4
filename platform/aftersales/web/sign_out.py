"""Signing out of the portal, the staff console and the operator console: the session ends on the server (the
cookie alone would not be enough: a copied cookie must stop working too) and the cookie is removed."""

from __future__ import annotations

from typing import Any

from litestar import Request, post
from litestar.response import Redirect

from aftersales.http.context import RuntimeDep, SessionDep
from aftersales.identity import page_sessions
from aftersales.web.page_auth import (
    ViewerDep,
    cleared_cookie,
    cookie_path,
)
from aftersales.web.page_controller import OperatorPageController, SignInPageController


class SignOutController(SignInPageController):
    """``POST /sign-out`` (portal) and ``POST /console/sign-out`` (staff console), on both tenant addresses."""

    @post(["/sign-out", "/console/sign-out"], status_code=303)
    async def sign_out(self, request: Request[Any, Any, Any], runtime: RuntimeDep, session: SessionDep,
                       viewer: ViewerDep) -> Redirect:
        """End this browser's session and go back to the area's front page."""
        if viewer.token:
            await page_sessions.end_session(session, viewer.token)
        base = cookie_path(request).rstrip("/")
        target = f"{base}/console/sign-in" if request.url.path.endswith("/console/sign-out") else f"{base}/"
        return Redirect(target, status_code=303, cookies=[cleared_cookie(runtime, request)])


class OperatorSignOutController(OperatorPageController):
    """``POST /ops/sign-out``."""

    @post("/ops/sign-out", status_code=303)
    async def sign_out(self, request: Request[Any, Any, Any], runtime: RuntimeDep, platform_session: SessionDep,
                       viewer: ViewerDep) -> Redirect:
        """End the operator's session and go to the operator sign-in page."""
        if viewer.token:
            await page_sessions.end_operator_session(platform_session, viewer.token)
        return Redirect("/ops/sign-in", status_code=303, cookies=[cleared_cookie(runtime, request, operator=True)])

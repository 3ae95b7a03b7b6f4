"""The base of every HTML page controller: what all pages share, declared once.

Pages answer in HTML, read the browser's session cookie (never a bearer token) and stay out of the OpenAPI
document. So a page controller asks for the ``viewer`` and the request's tenant, is left out of the schema, and
is passed over by the bearer-token middleware (``opt["exclude_from_auth"]``, which Litestar merges into each
handler's ``opt``); a page that needs someone signed in asks its ``viewer`` and redirects to a sign-in page.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller

from aftersales.http.context import SERVES_UNAVAILABLE_VERTICAL
from aftersales.web.page_auth import OPERATOR_PAGE_DEPENDENCIES, PAGE_DEPENDENCIES


class PageController(Controller):
    """A tenant page controller (portal and staff console): ``tenant``, its ``session`` and the ``viewer``."""

    dependencies = PAGE_DEPENDENCIES
    include_in_schema = False
    opt: dict[str, Any] = {"exclude_from_auth": True}


class OperatorPageController(PageController):
    """An operator console page controller (``/ops``): the operator ``viewer``, no tenant."""

    dependencies = OPERATOR_PAGE_DEPENDENCIES


class SignInPageController(PageController):
    """A tenant's sign-in and sign-out pages: they serve a tenant whose vertical is disabled too, so its staff
    can sign in and read why (every other page answers 503 with the reason)."""

    opt: dict[str, Any] = {**PageController.opt, SERVES_UNAVAILABLE_VERTICAL: True}

"""What every account page shares: the signed-in customer, and the context its templates receive besides the
portal's (the customer's words for stored codes, and instants on the tenant's clock)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Request
from litestar.response import Template

from aftersales.tenancy.current import CurrentTenant
from aftersales.web.i18n.moments import Moments
from aftersales.web.page_auth import Viewer
from aftersales.web.portal.account.words import WORDS
from aftersales.web.portal.rendering import Page, page_for, render


def customer_page(request: Request[Any, Any, Any], tenant: CurrentTenant, viewer: Viewer) -> tuple[Page, UUID]:
    """The page and the signed-in customer's id; anyone else is sent to sign in (:class:`SignInRequired`)."""
    principal = viewer.customer()
    assert principal.customer_id is not None  # a customer principal always names its customer
    return page_for(request, tenant, viewer), principal.customer_id


def show(page: Page, tenant: CurrentTenant, template_name: str, *, status_code: int = 200,
         **context: Any) -> Template:
    """Render an account template with ``words`` and ``when`` (a :class:`~aftersales.web.i18n.moments.Moments`) besides ``context``."""
    return render(page, template_name, status_code=status_code, words=WORDS,
                  when=Moments(page.fmt, tenant.calendar.zone), **context)


def customer_actor(customer_id: UUID) -> str:
    """How records name the customer who made them (as the API's ``actor`` does for a customer token)."""
    return f"customer:{customer_id}"

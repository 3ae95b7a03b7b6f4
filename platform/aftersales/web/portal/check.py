"""The public warranty check page: is this serial genuine, and until when is it covered?

It calls the same service as ``POST /public/warranty/check`` (:func:`aftersales.warranty.authenticity.
check_authenticity`), so it is rate-limited, logged and clone-watched exactly like the API. A plain form post
renders the whole page (no JavaScript needed); with HTMX the form posts in place and only the result is swapped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Request, get, post
from litestar.response import Template

from aftersales.db.base import utcnow
from aftersales.errors import RateLimited
from aftersales.http.context import RuntimeDep, SessionDep, TenantDep
from aftersales.http.forwarded import client_address
from aftersales.warranty import authenticity
from aftersales.warranty.schemas import AuthenticityAnswer
from aftersales.web.forms import fields
from aftersales.web.page_auth import ViewerDep, htmx_asked
from aftersales.web.page_controller import PageController
from aftersales.web.portal.rendering import Page, page_for, render

MAX_SERIAL = 200
MAX_CODE = 100

OUTCOMES = {
    "genuine": ("genuine", "good"),
    "unknown": ("not_registered", "warn"),
    "card_not_genuine": ("suspected_clone", "bad"),
    "blocked": ("blocked", "bad"),
    "recalled": ("recalled", "warn"),
    "replaced": ("replaced", "warn"),
}
"""The API's verdict → what the customer is told (a template branch) and its colour."""


@dataclass(frozen=True)
class CheckForm:
    """What the customer typed, kept to fill the form again."""

    serial: str = ""
    card_code: str = ""
    hologram_code: str = ""


@dataclass(frozen=True)
class Outcome:
    """The answer in the customer's terms: which message, its tone, and the public facts behind it."""

    kind: str
    tone: str
    answer: AuthenticityAnswer

    @classmethod
    def of(cls, answer: AuthenticityAnswer) -> Outcome:
        kind, tone = OUTCOMES[answer.verdict]
        return cls(kind, tone, answer)


def _form_errors(form: CheckForm, page: Page) -> dict[str, str]:
    _ = page.translations.gettext
    errors = {}
    if not form.serial:
        errors["serial"] = _("Enter the serial number printed on the device or its box.")
    elif len(form.serial) > MAX_SERIAL:
        errors["serial"] = _("This is too long for a serial number.")
    for name in ("card_code", "hologram_code"):
        if len(getattr(form, name)) > MAX_CODE:
            errors[name] = _("This is too long for a card code.")
    return errors


def _show(request: Request[Any, Any, Any], page: Page, *, status_code: int = 200, **context: Any) -> Template:
    """The whole page, or only the result when HTMX asked for it."""
    partial = htmx_asked(request)
    context = {"form": CheckForm(), "outcome": None, "errors": {}, "retry_after": None, **context}
    headers = {"Vary": "HX-Request"}
    if context["retry_after"] is not None:
        headers["Retry-After"] = str(context["retry_after"])
    return render(page, "check_result.html" if partial else "check.html", status_code=status_code,
                  headers=headers, **context)


class PortalCheckController(PageController):
    """The check page on the tenant's host (``/``, ``/check``) and on ``/t/{slug}/`` for local use."""

    @get(["/", "/check"])
    async def form(self, request: Request[Any, Any, Any], tenant: TenantDep, viewer: ViewerDep) -> Template:
        """The empty check form, in the tenant's branding and the visitor's language."""
        return _show(request, page_for(request, tenant, viewer))

    @post("/check", status_code=200)
    async def check(self, request: Request[Any, Any, Any], runtime: RuntimeDep, tenant: TenantDep,
                    session: SessionDep, viewer: ViewerDep) -> Template:
        """Check the posted serial (and card codes): the verdict, the model and the coverage end, or why not."""
        page = page_for(request, tenant, viewer)
        posted = await request.form()
        form = CheckForm(**fields(posted, "serial", "card_code", "hologram_code"))
        errors = _form_errors(form, page)
        if errors:
            return _show(request, page, status_code=422, form=form, errors=errors)
        try:
            answer = await authenticity.check_authenticity(
                session, code_key=runtime.code_key, tenant=tenant, serial=form.serial,
                card_code=form.card_code or None, hologram_code=form.hologram_code or None,
                client_address=client_address(request), now=utcnow(),
            )
        except RateLimited as exc:
            return _show(request, page, status_code=429, form=form, retry_after=exc.retry_after)
        return _show(request, page, form=form, outcome=Outcome.of(answer))

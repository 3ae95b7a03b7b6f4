"""The portal's sign-in by one-time code: ``/sign-in`` asks for an e-mail address or mobile number, ``/sign-in/code``
takes the code that was sent (rules in :mod:`aftersales.accounts.one_time_codes`).

Both answers are the same whether or not the address is a customer's, so the page tells no one who is a
customer. A signed-in customer lands on the page they first asked for (``next``), else on their devices.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from litestar import Request, get, post
from litestar.response import Redirect, Template

from aftersales.accounts import one_time_codes, sign_in_limits
from aftersales.db.base import utcnow
from aftersales.errors import InvalidInput, RateLimited
from aftersales.http.context import RuntimeDep, SessionDep, TenantDep
from aftersales.http.forwarded import client_address
from aftersales.i18n.formatting import LocaleFormat
from aftersales.identity import page_sessions
from aftersales.identity.models import Customer
from aftersales.identity.services import customer_principal
from aftersales.web.forms import field
from aftersales.web.i18n.catalogues import translations
from aftersales.web.page_auth import ViewerDep, safe_next, session_cookie
from aftersales.web.page_controller import SignInPageController
from aftersales.web.portal.rendering import Page, page_for, render
from aftersales.web.signin.passwords import too_many

MAX_NEXT = 2000


def _next(value: Any) -> str:
    """The page to return to, as posted or in the query (kept only if it is a path on this site)."""
    text = str(value or "")[:MAX_NEXT]
    return safe_next(text, "")


def _contact_reason(page: Page, exc: InvalidInput) -> str:
    _ = page.translations.gettext
    code = exc.errors[0].code if exc.errors else None
    if code == "contact.invalid_email":
        return _("This is not a valid e-mail address.")
    if code == "contact.invalid_phone":
        return _("This is not a valid mobile number.")
    if code == "contact.too_long":
        return _("This is too long for an e-mail address or mobile number.")
    return _("Enter your e-mail address or mobile number.")


def _minutes(seconds: int) -> int:
    return max(1, -(-seconds // 60))


def _code_page(page: Page, *, status_code: int = 200, **context: Any) -> Template:
    return render(page, "signin/code.html", status_code=status_code, code_digits=one_time_codes.CODE_DIGITS,
                  code_minutes=one_time_codes.CODE_LIFETIME.seconds // 60, **context)


def code_text(page: Page, customer: Customer, code: str) -> one_time_codes.Text:
    """The code's e-mail or SMS in the customer's language (their saved one if the tenant offers it, else the
    page's), with the code in ASCII digits so phones offer to fill it in."""
    locale = customer.locale if customer.locale in page.branding.locales else page.locale
    _ = translations(locale).gettext
    minutes = LocaleFormat(locale).number(one_time_codes.CODE_LIFETIME.seconds // 60)
    company = page.branding.name
    return one_time_codes.Text(
        subject=_("Your sign-in code for %(company)s") % {"company": company},
        body=_("Your %(company)s sign-in code is %(code)s. It is valid for %(minutes)s minutes. If you did not "
               "ask for it, you can ignore this message.") % {"company": company, "code": code,
                                                              "minutes": minutes})


class CodeSignInController(SignInPageController):
    """``/sign-in`` and ``/sign-in/code`` on both tenant addresses."""

    @get("/sign-in")
    async def contact_form(self, request: Request[Any, Any, Any], tenant: TenantDep, viewer: ViewerDep) -> Template:
        """Ask for the e-mail address or mobile number to send a code to."""
        page = page_for(request, tenant, viewer)
        return render(page, "signin/contact.html", contact="", next=_next(request.query_params.get("next")),
                      error=None)

    @post("/sign-in", status_code=303)
    async def send_code(self, request: Request[Any, Any, Any], runtime: RuntimeDep, tenant: TenantDep,
                        session: SessionDep, viewer: ViewerDep) -> Template | Redirect:
        """Send a code (if the address is a customer's) and go on to the page where it is typed."""
        page = page_for(request, tenant, viewer)
        form = await request.form()
        contact_text, next_path = field(form, "contact"), _next(form.get("next"))
        try:
            contact = one_time_codes.parse_contact(contact_text, tenant.record.country)
            code_id = await one_time_codes.request_code(
                session, code_key=runtime.code_key, contact=contact,
                client_address=client_address(request),
                compose=lambda customer, code: code_text(page, customer, code), now=utcnow())
        except InvalidInput as exc:
            return render(page, "signin/contact.html", status_code=422, contact=contact_text, next=next_path,
                          error=_contact_reason(page, exc))
        except RateLimited as exc:
            _ = page.translations.gettext
            error = _("Too many codes were asked for. Try again in %(minutes)s minutes.") % {
                "minutes": page.fmt.number(_minutes(exc.retry_after))}
            return render(page, "signin/contact.html", status_code=429, contact=contact_text, next=next_path,
                          error=error, headers={"Retry-After": str(exc.retry_after)})
        query = urlencode({"attempt": str(code_id), **({"next": next_path} if next_path else {})})
        return Redirect(page.url(f"/sign-in/code?{query}"), status_code=303)

    @get("/sign-in/code")
    async def code_form(self, request: Request[Any, Any, Any], tenant: TenantDep, viewer: ViewerDep) -> Template:
        """Where the code that was sent is typed."""
        page = page_for(request, tenant, viewer)
        return _code_page(page, attempt=str(request.query_params.get("attempt") or "")[:40],
                      next=_next(request.query_params.get("next")), error=None, ended=False)

    @post("/sign-in/code", status_code=303)
    async def check_code(self, request: Request[Any, Any, Any], runtime: RuntimeDep, tenant: TenantDep,
                         session: SessionDep, viewer: ViewerDep) -> Template | Redirect:
        """Sign the customer in with a right code; say why not otherwise (a wrong one counts)."""
        page = page_for(request, tenant, viewer)
        _ = page.translations.gettext
        form = await request.form()
        attempt, next_path = str(form.get("attempt") or "")[:40], _next(form.get("next"))
        code = str(form.get("code") or "")
        try:
            code_id = uuid.UUID(attempt)
        except ValueError:
            code_id = None
        now = utcnow()
        if not code.strip():
            return _code_page(page, status_code=422, attempt=attempt, next=next_path,
                          error=_("Enter the code we sent you."), ended=False)
        try:
            await sign_in_limits.count_attempt(runtime.db, tenant.record.id, code_key=runtime.code_key,
                                               client_address=client_address(request), now=now)
        except RateLimited as limited:
            return _code_page(page, status_code=429, attempt=attempt, next=next_path, error=too_many(page, limited),
                              ended=False, headers={"Retry-After": str(limited.retry_after)})
        check = (await one_time_codes.check_code(session, code_key=runtime.code_key, code_id=code_id, code=code,
                                                 now=now) if code_id else one_time_codes.CodeCheck(None, "expired"))
        if check.customer_id is None:
            if check.refusal == "wrong":
                error = (_("That code is not right. You can try once more.") if check.tries_left == 1 else
                         _("That code is not right. You can try %(count)s more times.")
                         % {"count": page.fmt.number(check.tries_left)})
            elif check.refusal == "ended":
                error = _("That code is not right either, so it no longer works. Ask for a new code.")
            else:
                error = _("This code has expired or was already used. Ask for a new code.")
            return _code_page(page, status_code=422, attempt=attempt, next=next_path, error=error,
                          ended=check.refusal != "wrong")
        customer = await session.get(Customer, (tenant.record.id, check.customer_id))
        assert customer is not None, "a code's customer is gone (its row refers to the customer)"
        opened = await page_sessions.open_session(session, principal=customer_principal(customer), method="code",
                                                  now=now)
        target = safe_next(next_path, page.url("/my/devices"))
        return Redirect(target, status_code=303, cookies=[session_cookie(runtime, request, opened, now)])

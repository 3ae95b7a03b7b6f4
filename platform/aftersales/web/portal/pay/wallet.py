"""``/my/wallet``: the customer's store credit in the tenant's currency, and topping it up by card where the
tenant's Stripe account takes its currency (:func:`aftersales.payments.wallet.services.top_up`, the API's service: the
wallet is credited when the card payment is captured). The card step is the pay page's (``card_form.html``,
``pay.js``); where cards are not taken (rials), the page says how to top up at the office instead.
"""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from babel.numbers import NumberFormatError, parse_decimal
from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Response, Template

from aftersales.contract.money import Money
from aftersales.contract.numerals import ascii_digits
from aftersales.db.base import utcnow
from aftersales.errors import NotFound
from aftersales.http.context import RuntimeDep, SessionDep, TenantDep
from aftersales.identity.principals import Principal
from aftersales.payments.customer_payments import services as service
from aftersales.payments.ledger.models import Payment
from aftersales.payments.ledger.services import EntryKind
from aftersales.payments.wallet import services as wallet
from aftersales.web.page_auth import ViewerDep
from aftersales.web.page_controller import PageController
from aftersales.web.portal.pay import card
from aftersales.web.portal.rendering import Page, page_for, render

TOP_UP = "/my/wallet/top-ups/{payment_id:uuid}"
MAX_TOP_UP_MINOR = 99_999_999
"""Stripe's largest amount in minor units for most currencies."""


def _actor(principal: Principal) -> str:
    return f"{principal.kind}:{principal.subject}"


def top_up_amount(page: Page, text: str, currency: str) -> tuple[Money | None, str | None]:
    """The amount typed (the reader's digits and decimal sign) as money, or why it is not one."""
    _ = page.translations.gettext
    if not text.strip():
        return None, _("Enter the amount to add.")
    try:
        value = parse_decimal(ascii_digits(text.strip()), locale=page.locale)
    except (NumberFormatError, InvalidOperation):
        return None, _("Enter the amount as a number, for example %(example)s.") % {
            "example": page.fmt.number(Decimal("12.5"))}
    minor = value.scaleb(Money.minor_digits(currency))
    if minor != minor.to_integral_value():
        return None, _("This currency has no smaller units than %(amount)s.") % {
            "amount": page.fmt.money(Money(1, currency))}
    if minor <= 0:
        return None, _("Enter an amount above zero.")
    if minor > MAX_TOP_UP_MINOR:
        return None, _("The most you can add at once is %(amount)s.") % {
            "amount": page.fmt.money(Money(MAX_TOP_UP_MINOR, currency))}
    return Money(int(minor), currency), None


async def _top_up(session: Any, principal: Principal, payment_id: uuid.UUID) -> Payment:
    payment = await service.get_payment(session, principal, payment_id)
    if payment.purpose != "wallet_top_up":
        raise NotFound("no such top-up")
    return payment


class MyWalletController(PageController):
    """The customer's store credit and its top-ups."""

    @get("/my/wallet")
    async def show(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                   viewer: ViewerDep) -> Template:
        """The balance, what made it, and the top-up form."""
        principal = viewer.customer()
        page = page_for(request, tenant, viewer)
        return await _show(page, session, tenant.record.currency, principal, amount="", error=None)

    @post("/my/wallet/top-ups", status_code=303)
    async def start(self, request: Request[Any, Any, Any], runtime: RuntimeDep, tenant: TenantDep,
                    session: SessionDep, viewer: ViewerDep) -> Template | Redirect:
        """Start a card top-up of the amount typed (422 beside the field when it is not one), then the card form."""
        principal = viewer.customer()
        page = page_for(request, tenant, viewer)
        currency = tenant.record.currency
        posted = await request.form()
        text = str(posted.get("amount") or "")
        terms = await card.card_terms(session, currency)
        amount, error = top_up_amount(page, text, currency)
        if not terms.accepted or amount is None:
            return await _show(page, session, currency, principal, amount=text, error=error, status_code=422)
        started = await wallet.top_up(session, runtime.settings, principal, principal.customer_id,
                                      amount_minor=amount.amount_minor, currency=currency, provider="stripe",
                                      method="card", reference=None, actor=_actor(principal), now=utcnow())
        return Redirect(page.url(f"/my/wallet/top-ups/{started.payment.id}"), status_code=303)

    @get(TOP_UP)
    async def top_up(self, request: Request[Any, Any, Any], payment_id: FromPath[uuid.UUID], runtime: RuntimeDep,
                     tenant: TenantDep, session: SessionDep, viewer: ViewerDep) -> Template:
        """A top-up: the card form while it waits, then whether the wallet was credited."""
        principal = viewer.customer()
        page = page_for(request, tenant, viewer)
        payment = await _top_up(session, principal, payment_id)
        client_secret = None
        if payment.provider == "stripe" and payment.state in card.WAITING:
            client_secret = (await card.sync(session, runtime.settings, payment, utcnow())).client_secret
        terms = await card.card_terms(session, payment.currency)
        return render(page, "pay/top_up.html", payment=payment, terms=terms, client_secret=client_secret,
                      waiting=payment.state in card.WAITING, stripe_js=card.stripe_js_url(runtime.settings),
                      amount=Money(payment.amount_minor, payment.currency),
                      confirm_url=page.url(f"/my/wallet/top-ups/{payment.id}/card"),
                      return_url=page.url(f"/my/wallet/top-ups/{payment.id}"))

    @post(f"{TOP_UP}/card", status_code=200)
    async def confirm(self, request: Request[Any, Any, Any], payment_id: FromPath[uuid.UUID], runtime: RuntimeDep,
                      tenant: TenantDep, session: SessionDep, viewer: ViewerDep) -> Response[dict[str, Any]]:
        """Stripe.js's card reference for the waiting top-up: confirm it (JSON for the page's script)."""
        principal = viewer.customer()
        page = page_for(request, tenant, viewer)
        payment = await _top_up(session, principal, payment_id)
        back = page.url(f"/my/wallet/top-ups/{payment.id}")
        card_ref = str((await request.form()).get("card") or "")
        if payment.provider != "stripe" or payment.state not in card.WAITING or not card.CARD_REF.match(card_ref):
            return Response({"state": payment.state, "next": back},
                            status_code=409 if card.CARD_REF.match(card_ref) else 422)
        answer = await card.confirm_for_page(session, runtime.settings, payment, card_ref, utcnow())
        return Response({**answer, "next": back})


async def _show(page: Page, session: Any, currency: str, principal: Principal, *, amount: str, error: str | None,
                status_code: int = 200) -> Template:
    statement = await wallet.statement(session, principal, principal.customer_id, currency)
    terms = await card.card_terms(session, currency)
    entries = [(entry, entry.kind == EntryKind.WALLET_CREDIT.value, Money(entry.amount_minor, entry.currency))
               for entry in reversed(statement.entries)]
    return render(page, "pay/wallet.html", status_code=status_code, balance=statement.balance, entries=entries,
                  terms=terms, amount=amount, error=error)

"""``/my/bookings/{id}/pay``: what the customer owes for a completed job, and paying it by card.

The server starts the payment through :func:`aftersales.marketplace.settlement.services.pay_job` (a PaymentIntent for
exactly the job's charge, authorised now and captured by finance), the page collects the card with Stripe.js
(loaded from Stripe, or from a local Stripe-compatible server in the demo and tests), and the card's reference
comes back here to confirm the PaymentIntent; 3-D Secure, when the card asks for it, is completed by Stripe.js.
Every visit asks Stripe how the PaymentIntent stands and applies it as the webhook would, so the page shows
"paid" whether the webhook or the customer's return arrives first. Where Stripe cannot take the money (rials)
the page says so and names the tenant's offline ways to pay.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from babel.numbers import get_currency_name
from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Response, Template
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.money import Money
from aftersales.db.base import utcnow
from aftersales.errors import Conflict
from aftersales.http.context import RuntimeDep, SessionDep, TenantDep
from aftersales.identity.principals import Principal
from aftersales.marketplace.access import visible_booking
from aftersales.marketplace.bookings.services import names_of
from aftersales.marketplace.charges.services import ChargeDue, charge_due
from aftersales.marketplace.models import Booking
from aftersales.marketplace.settlement import services as settlement
from aftersales.payments.customer_payments.services import latest_job_payment
from aftersales.payments.ledger.models import Payment
from aftersales.web.page_auth import ViewerDep
from aftersales.web.page_controller import PageController
from aftersales.web.portal.pay import card
from aftersales.web.portal.pay.card import CardTerms
from aftersales.web.portal.rendering import page_for, render

PAY = "/my/bookings/{booking_id:uuid}/pay"


@dataclass(frozen=True)
class JobBill:
    """A job and what is owed for it: the provider, the service, the charge, and the latest payment of it."""

    booking: Booking
    provider_name: str
    service_name: str
    due: ChargeDue | None
    payment: Payment | None

    @property
    def amount(self) -> Money | None:
        """What the job costs: the charge, or what its payment was for."""
        if self.due is not None:
            return self.due.amount
        return Money(self.payment.amount_minor, self.payment.currency) if self.payment is not None else None

    @property
    def stage(self) -> str:
        """``paid`` (authorised or captured), ``nothing_due``, ``card`` (a card payment waits for the customer)
        or ``start``."""
        if self.payment is not None and self.payment.state in ("authorized", "captured"):
            return "paid"
        if self.due is None:
            return "nothing_due"
        if self.payment is not None and self.payment.provider == "stripe" and self.payment.state in card.WAITING:
            return "card"
        return "start"


async def job_bill(session: AsyncSession, principal: Principal, booking_id: uuid.UUID) -> JobBill:
    """The customer's job and what is owed for it. :raises NotFound: not the customer's booking."""
    booking = await visible_booking(session, principal, booking_id)
    providers, offerings = await names_of(session, [booking])
    return JobBill(booking, providers.get(booking.provider_id, ""), offerings.get(booking.offering_id, ""),
                   await charge_due(session, booking.id), await latest_job_payment(session, booking.id))


def _actor(principal: Principal) -> str:
    return f"{principal.kind}:{principal.subject}"


class PayJobController(PageController):
    """Paying a completed marketplace job by card."""

    @get(PAY)
    async def show(self, request: Request[Any, Any, Any], booking_id: FromPath[uuid.UUID], runtime: RuntimeDep,
                   tenant: TenantDep, session: SessionDep, viewer: ViewerDep) -> Template:
        """What is owed and the way to pay it: the card form, the offline ways, or that it is paid."""
        principal = viewer.customer()
        page = page_for(request, tenant, viewer)
        bill = await job_bill(session, principal, booking_id)
        client_secret = None
        if bill.stage == "card" and bill.payment is not None:
            intent = await card.sync(session, runtime.settings, bill.payment, utcnow())
            client_secret = intent.client_secret
            bill = await job_bill(session, principal, booking_id)
        terms = (await card.card_terms(session, bill.due.amount.currency) if bill.due is not None
                 else CardTerms(False))
        currency_name = get_currency_name(bill.amount.currency, locale=page.locale) if bill.amount else ""
        return render(page, "pay/job.html", bill=bill, terms=terms, client_secret=client_secret,
                      stripe_js=card.stripe_js_url(runtime.settings), currency_name=currency_name)

    @post(PAY, status_code=303)
    async def start(self, request: Request[Any, Any, Any], booking_id: FromPath[uuid.UUID], runtime: RuntimeDep,
                    tenant: TenantDep, session: SessionDep, viewer: ViewerDep) -> Redirect:
        """Start the card payment of the job's charge (a PaymentIntent), then show the card form."""
        principal = viewer.customer()
        page = page_for(request, tenant, viewer)
        bill = await job_bill(session, principal, booking_id)
        if bill.stage == "start" and bill.due is not None and (await card.card_terms(
                session, bill.due.amount.currency)).accepted:
            try:
                await settlement.pay_job(session, runtime.settings, principal, booking_id, provider="stripe",
                                         method="card", reference=None, actor=_actor(principal), now=utcnow())
            except Conflict:
                pass  # paid or started meanwhile (another tab): the page shows how it stands
        return Redirect(page.url(f"/my/bookings/{booking_id}/pay"), status_code=303)

    @post(f"{PAY}/card", status_code=200)
    async def confirm(self, request: Request[Any, Any, Any], booking_id: FromPath[uuid.UUID], runtime: RuntimeDep,
                      tenant: TenantDep, session: SessionDep, viewer: ViewerDep) -> Response[dict[str, Any]]:
        """Stripe.js's card reference for the waiting payment: confirm the PaymentIntent with it. Answers JSON
        for the page's script: the payment's state, and the client secret when 3-D Secure is still to do."""
        principal = viewer.customer()
        page = page_for(request, tenant, viewer)
        bill = await job_bill(session, principal, booking_id)
        back = page.url(f"/my/bookings/{booking_id}/pay")
        posted = await request.form()
        card_ref = str(posted.get("card") or "")
        if bill.stage != "card" or bill.payment is None or not card.CARD_REF.match(card_ref):
            return Response({"state": bill.payment.state if bill.payment else "none", "next": back},
                            status_code=409 if card.CARD_REF.match(card_ref) else 422)
        answer = await card.confirm_for_page(session, runtime.settings, bill.payment, card_ref, utcnow())
        return Response({**answer, "next": back})

"""``/my/payments``: the signed-in customer's payments, newest first, with what each paid and gave back, in the
tenant's money format; a link to ask for a refund of what can still be refunded."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Request, get
from litestar.response import Template

from aftersales.contract.money import Money
from aftersales.http.context import SessionDep, TenantDep
from aftersales.payments.customer_payments import services as service
from aftersales.payments.ledger import services as ledger
from aftersales.payments.ledger.models import Payment
from aftersales.payments.ledger.services import PaymentTotals
from aftersales.web.page_auth import ViewerDep
from aftersales.web.page_controller import PageController
from aftersales.web.portal.pay.labels import PAYMENT_TONES, payment_state_label, purpose_label
from aftersales.web.portal.rendering import page_for, render

SHOWN = 100
"""Payments on the page; a customer with more sees the newest."""


@dataclass(frozen=True)
class PaymentLine:
    """One payment as the list shows it."""

    payment: Payment
    totals: PaymentTotals
    purpose: str
    state: str
    tone: str

    @property
    def amount(self) -> Money:
        return Money(self.payment.amount_minor, self.payment.currency)

    @property
    def refundable(self) -> bool:
        return self.totals.refundable.amount_minor > 0


class MyPaymentsController(PageController):
    """The customer's payments."""

    @get("/my/payments")
    async def list_payments(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                            viewer: ViewerDep) -> Template:
        """The customer's payments and refunds, newest first."""
        principal = viewer.customer()
        page = page_for(request, tenant, viewer)
        found = await service.list_payments(session, principal, limit=SHOWN)
        totals = await ledger.totals_of(session, found)
        lines = [PaymentLine(p, totals[p.id], purpose_label(page.translations, p.purpose),
                             payment_state_label(page.translations, p.state), PAYMENT_TONES.get(p.state, ""))
                 for p in found]
        return render(page, "pay/payments.html", lines=lines)

"""Payment endpoints: start a payment, read them, capture and cancel, and finance staff's cheque actions.

Finance staff (``payments:write``) record any payment, offline ones above all; a customer (``customer:self``)
starts only their own, by card or from store credit, and reads only their own. Another customer's or another
tenant's payment answers 404.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery, HeaderParameter, JSONBody, QueryParameter

from aftersales.db.base import utcnow
from aftersales.errors import FieldError, InvalidInput, NotFound, PermissionDenied
from aftersales.http.context import TOKEN_TENANT, RuntimeDep, SessionDep, TenantDep
from aftersales.http.paging import DEFAULT_LIMIT, Page, check_limit, decode_cursor, invalid_cursor, split_page
from aftersales.identity.guards import actor, current_principal, requires_any_scope, requires_scope
from aftersales.identity.principals import Principal
from aftersales.identity.scopes import CUSTOMER_SELF, PAYMENTS_READ, PAYMENTS_WRITE
from aftersales.payments.customer_payments import cheques
from aftersales.payments.customer_payments import services as service
from aftersales.payments.customer_payments.schemas import PaymentIn, PaymentOut, ReasonIn, payment_out
from aftersales.payments.ledger import services as ledger
from aftersales.payments.ledger.models import Payment

IdempotencyKey = Annotated[str | None, HeaderParameter(name="Idempotency-Key", min_length=1, max_length=64,
                                                      pattern=r"^[A-Za-z0-9_.:-]+$")]
"""The client's key for one payment: the same key again answers the same payment (per customer)."""
CUSTOMER_PROVIDERS = ("stripe", "wallet")
"""What a customer pays with by themselves; offline money is recorded by finance staff."""


def _payer(principal: Principal, data: PaymentIn) -> UUID:
    """Whose payment this is: a customer's own, or for staff the customer the body names."""
    if principal.customer_id is None:
        if data.customer_id is None:
            raise InvalidInput("the payment is invalid", [FieldError("customer_id", "must name the customer")])
        return data.customer_id
    if data.customer_id not in (None, principal.customer_id):
        raise NotFound("no such customer")
    if data.provider not in CUSTOMER_PROVIDERS:
        raise PermissionDenied("customers pay by card or from store credit; offline payments are recorded by "
                               "finance staff")
    return principal.customer_id


async def _answer(session: Any, payment: Payment, *, client_secret: str | None = None,
                  with_entries: bool = False) -> PaymentOut:
    totals = await ledger.payment_totals(session, payment.id)
    entries = list(await ledger.entries(session, payment_id=payment.id)) if with_entries else None
    return payment_out(payment, totals, client_secret=client_secret, entries=entries)


class PaymentController(Controller):
    """Payments of the tenant's customers, newest first."""

    path = "/api/v1/payments"
    tags = ("payments",)
    dependencies = TOKEN_TENANT

    @post("/", operation_id="startPayment", guards=[requires_any_scope(PAYMENTS_WRITE, CUSTOMER_SELF)])
    async def start(self, request: Request[Any, Any, Any], data: JSONBody[PaymentIn], session: SessionDep,
                    runtime: RuntimeDep, idempotency_key: IdempotencyKey = None) -> PaymentOut:
        """Start a payment through a provider: cash and transfers are captured at once, a cheque waits to clear,
        a card may need the customer (``client_secret``). A provider that cannot take it (Stripe and IRR): 422
        naming the field and the reason, with the suggestion to pay offline. Store credit below the amount: 409.
        A retry with the same ``Idempotency-Key`` answers the payment already made."""
        principal = current_principal(request)
        customer_id = _payer(principal, data)
        started = await service.start_payment(session, runtime.settings, service.NewPayment(
            customer_id=customer_id, purpose=data.purpose, amount_minor=data.amount_minor,
            currency=data.currency.upper(), provider=data.provider, method=data.method,
            subject_type=data.subject_type, subject_id=data.subject_id, reference=data.reference),
            actor=actor(request), now=utcnow(), idempotency_key=idempotency_key)
        return await _answer(session, started.payment, client_secret=started.client_secret, with_entries=True)

    @get("/", operation_id="listPayments", guards=[requires_any_scope(PAYMENTS_READ, CUSTOMER_SELF)])
    async def list_payments(self, request: Request[Any, Any, Any], session: SessionDep,
                            customer_id: FromQuery[UUID | None] = None,
                            in_state: Annotated[str | None, QueryParameter(name="state")] = None,
                            purpose: FromQuery[str | None] = None, limit: FromQuery[int] = DEFAULT_LIMIT,
                            cursor: FromQuery[str | None] = None) -> Page[PaymentOut]:
        """Payments newest first (a customer's own only), filtered by customer, state and purpose, with what each
        captured, refunded and may still refund. Pass ``next_cursor`` back as ``cursor``."""
        errors = []
        if in_state is not None and in_state not in service.STATES:
            errors.append(FieldError("state", f"must be one of {', '.join(service.STATES)}"))
        if purpose is not None and purpose not in service.PURPOSES:
            errors.append(FieldError("purpose", f"must be one of {', '.join(service.PURPOSES)}"))
        if errors:
            raise InvalidInput("invalid filter", errors)
        before = None
        if cursor is not None:
            created, last = decode_cursor(cursor, 2)
            try:
                before = (datetime.fromisoformat(str(created)), UUID(str(last)))
            except ValueError:
                raise invalid_cursor() from None
        rows = await service.list_payments(session, current_principal(request), customer_id=customer_id,
                                           state=in_state, purpose=purpose, limit=check_limit(limit) + 1,
                                           before=before)
        page, next_cursor = split_page(rows, limit, lambda p: (p.created_at.isoformat(), str(p.id)))
        totals = await ledger.totals_of(session, page)
        return Page(items=[payment_out(p, totals[p.id]) for p in page], next_cursor=next_cursor)

    @get("/{payment_id:uuid}", operation_id="getPayment", guards=[requires_any_scope(PAYMENTS_READ, CUSTOMER_SELF)])
    async def get_payment(self, request: Request[Any, Any, Any], payment_id: FromPath[UUID],
                          session: SessionDep) -> PaymentOut:
        """One payment with its totals and ledger entries."""
        payment = await service.get_payment(session, current_principal(request), payment_id)
        return await _answer(session, payment, with_entries=True)

    @post("/{payment_id:uuid}/capture", operation_id="capturePayment", status_code=200,
          guards=[requires_scope(PAYMENTS_WRITE)])
    async def capture(self, request: Request[Any, Any, Any], payment_id: FromPath[UUID], session: SessionDep,
                      runtime: RuntimeDep) -> PaymentOut:
        """Capture an authorised payment (a marketplace job by card); 409 for any other state."""
        payment = await service.capture_payment(session, runtime.settings, current_principal(request), payment_id,
                                                actor=actor(request), now=utcnow())
        return await _answer(session, payment, with_entries=True)

    @post("/{payment_id:uuid}/cancel", operation_id="cancelPayment", status_code=200,
          guards=[requires_any_scope(PAYMENTS_WRITE, CUSTOMER_SELF)])
    async def cancel(self, request: Request[Any, Any, Any], payment_id: FromPath[UUID], data: JSONBody[ReasonIn],
                     session: SessionDep) -> PaymentOut:
        """Cancel a payment no money arrived for (pending, waiting for the customer, authorised); 409 otherwise."""
        payment = await service.cancel_payment(session, current_principal(request), payment_id, reason=data.reason,
                                               now=utcnow())
        return await _answer(session, payment, with_entries=True)

    @post("/{payment_id:uuid}/cheque/clear", operation_id="clearCheque", status_code=200,
          guards=[requires_scope(PAYMENTS_WRITE)])
    async def clear(self, request: Request[Any, Any, Any], payment_id: FromPath[UUID],
                    session: SessionDep) -> PaymentOut:
        """The bank paid a pending cheque: it is captured."""
        payment = await cheques.clear_cheque(session, current_principal(request), payment_id, actor=actor(request),
                                             now=utcnow())
        return await _answer(session, payment, with_entries=True)

    @post("/{payment_id:uuid}/cheque/bounce", operation_id="bounceCheque", status_code=200,
          guards=[requires_scope(PAYMENTS_WRITE)])
    async def bounce(self, request: Request[Any, Any, Any], payment_id: FromPath[UUID], data: JSONBody[ReasonIn],
                     session: SessionDep, tenant: TenantDep) -> PaymentOut:
        """The bank refused the cheque (a cleared one has its capture reversed); the customer is told the day
        they may present it again, two weeks on."""
        payment = await cheques.bounce_cheque(session, tenant, current_principal(request), payment_id,
                                              reason=data.reason, actor=actor(request), now=utcnow())
        return await _answer(session, payment, with_entries=True)

    @post("/{payment_id:uuid}/cheque/represent", operation_id="representCheque", status_code=200,
          guards=[requires_scope(PAYMENTS_WRITE)])
    async def represent(self, request: Request[Any, Any, Any], payment_id: FromPath[UUID], session: SessionDep,
                        tenant: TenantDep) -> PaymentOut:
        """Present a bounced cheque again; before two weeks have passed, 409 naming the day it may be."""
        payment = await cheques.represent_cheque(session, tenant, current_principal(request), payment_id,
                                                 actor=actor(request), now=utcnow())
        return await _answer(session, payment, with_entries=True)

"""``/my/refunds``: the customer's refund requests and asking for one (``/my/refunds/new?payment=…``).

The request goes to :func:`aftersales.payments.refunds.services.request_refund`, the API's service, so the tenant's
``aftersales_refund_policy`` decides it at once and the decision is stored whatever it is. The form first asks
the policy what it would require (:func:`~aftersales.payments.refunds.services.decision_for`): where it wants a verified
national ID and an IBAN (Entekhab's cash refunds), the form asks for them, and a bad check digit is shown beside
its field (422) with nothing written. The national ID and IBAN typed are put on file for staff to verify; they
never verify themselves.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from aftersales.contract.money import Money
from aftersales.contract.values import RefundDecision
from aftersales.db.base import utcnow
from aftersales.errors import InvalidInput, NotFound
from aftersales.http.context import SessionDep, TenantDep
from aftersales.identity.principals import Principal
from aftersales.payments.customer_payments import services as service
from aftersales.payments.ledger import services as ledger
from aftersales.payments.refunds import identity as customer_identity
from aftersales.payments.refunds import services as refunds
from aftersales.tenancy.current import CurrentTenant
from aftersales.web.forms import fields
from aftersales.web.page_auth import ViewerDep
from aftersales.web.page_controller import PageController
from aftersales.web.portal.pay import labels
from aftersales.web.portal.rendering import Page, page_for, render

MAX_NOTE = 1000
IDENTITY_NEEDS = frozenset({"identity_verified"})
IBAN_NEEDS = frozenset({"iban", "iban_owner_matches_national_id"})


@dataclass(frozen=True)
class RefundForm:
    """What the customer typed, kept to fill the form again."""

    payment: str = ""
    method: str = ""
    note: str = ""
    national_id: str = ""
    iban: str = ""


@dataclass(frozen=True)
class Asks:
    """Which identity fields the policy wants for this refund."""

    national_id: bool
    iban: bool


def _payment_id(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise NotFound("no such payment") from None


def _actor(principal: Principal) -> str:
    return f"{principal.kind}:{principal.subject}"


def _national_id_reason(page: Page, problem: str) -> str:
    _ = page.translations.gettext
    if "check digit" in problem:
        return _("The check digit of this national ID does not match: please check the number.")
    if "identical" in problem:
        return _("This is not an issued national ID.")
    return _("A national ID is 10 digits.")


def _iban_reason(page: Page, problem: str) -> str:
    _ = page.translations.gettext
    if "check digits" in problem:
        return _("The check digits of this IBAN do not match: please check the number.")
    if "IR followed by 24 digits" in problem:
        return _("An Iranian IBAN (Sheba) is IR followed by 24 digits.")
    return _("This is not a valid IBAN.")


class MyRefundsController(PageController):
    """The customer's refund requests."""

    @get("/my/refunds")
    async def list_refunds(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                           viewer: ViewerDep) -> Template:
        """The customer's refund requests, newest first, each with where it stands."""
        principal = viewer.customer()
        page = page_for(request, tenant, viewer)
        found = await refunds.visible_refunds(session, principal)
        lines = [(refund, Money(refund.amount_minor or refund.requested_minor, refund.currency)) for refund in found]
        return render(page, "pay/refunds.html", lines=lines, labels=labels)

    @get("/my/refunds/{refund_id:uuid}")
    async def show(self, request: Request[Any, Any, Any], refund_id: FromPath[uuid.UUID], tenant: TenantDep,
                   session: SessionDep, viewer: ViewerDep) -> Template:
        """One refund request: the decision, what is still needed, and its steps."""
        principal = viewer.customer()
        page = page_for(request, tenant, viewer)
        refund = await refunds.visible_refund(session, principal, refund_id)
        return render(page, "pay/refund.html", refund=refund, steps=await refunds.timeline(session, refund.id),
                      labels=labels, amount=Money(refund.amount_minor or refund.requested_minor, refund.currency))

    @get("/my/refunds/new")
    async def form(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                   viewer: ViewerDep) -> Template:
        """The refund form for one of the customer's payments, asking for what the policy requires."""
        principal = viewer.customer()
        page = page_for(request, tenant, viewer)
        payment_text = request.query_params.get("payment") or ""
        identity = await customer_identity.identity_of(session, principal.customer_id)
        form = RefundForm(payment=payment_text, national_id=(identity.national_id or "") if identity else "",
                          iban=(identity.iban or "") if identity else "")
        return await _show(page, session, tenant, principal, form, {})

    @post("/my/refunds/new", status_code=303)
    async def ask(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                  viewer: ViewerDep) -> Template | Redirect:
        """Ask for the refund: bad input is shown beside its field (422, nothing written); otherwise the national
        ID and IBAN typed are put on file, the request is decided and stored, and its page is shown."""
        principal = viewer.customer()
        page = page_for(request, tenant, viewer)
        posted = await request.form()
        form = RefundForm(**fields(posted, "payment", "method", "note", "national_id", "iban"))
        payment_id = _payment_id(form.payment)
        await service.get_payment(session, principal, payment_id)
        try:
            decision = await refunds.decision_for(session, tenant, principal, refunds.RefundAsk(
                source="payment", payment_id=payment_id), now=utcnow())
        except InvalidInput:
            return await _show(page, session, tenant, principal, form, {}, status_code=409)
        errors, national_id, iban = _check(page, form, decision)
        if errors:
            return await _show(page, session, tenant, principal, form, errors, status_code=422)
        identity = await customer_identity.identity_of(session, principal.customer_id)
        now, actor = utcnow(), _actor(principal)
        if national_id is not None and national_id != (identity.national_id if identity else None):
            await customer_identity.record_by_staff(session, principal.customer_id, national_id=national_id,
                                                    actor=actor, now=now)
        if iban is not None and iban != (identity.iban if identity else None):
            await customer_identity.record_iban_by_customer(session, principal.customer_id, iban, actor=actor,
                                                            now=now)
        refund = await refunds.request_refund(session, tenant, principal, refunds.RefundAsk(
            source="payment", payment_id=payment_id, method=form.method or None, note=form.note),
            actor=actor, now=now)
        return Redirect(page.url(f"/my/refunds/{refund.id}"), status_code=303)


def _asks(decision: RefundDecision) -> Asks:
    needs = set(decision.requirements)
    return Asks(national_id=bool(needs & IDENTITY_NEEDS), iban=bool(needs & IBAN_NEEDS))


def _check(page: Page, form: RefundForm, decision: RefundDecision) -> tuple[dict[str, str], str | None, str | None]:
    """The form's errors by field, and the national ID and IBAN to put on file (normalised), if asked for."""
    _ = page.translations.gettext
    errors: dict[str, str] = {}
    asks = _asks(decision)
    if form.method and form.method not in {m.value for m in decision.methods}:
        errors["method"] = _("Choose one of the ways offered.")
    if len(form.note) > MAX_NOTE:
        errors["note"] = _("Please keep this under %(count)s characters.") % {"count": page.fmt.number(MAX_NOTE)}
    national_id = iban = None
    if asks.national_id:
        national_id = customer_identity.normalise_national_id(form.national_id)
        if not national_id:
            errors["national_id"] = _("Enter your national ID.")
        elif (problem := customer_identity.national_id_problem(national_id)) is not None:
            errors["national_id"] = _national_id_reason(page, problem)
    if asks.iban:
        if not form.iban:
            errors["iban"] = _("Enter the IBAN (Sheba) of an account in your own name.")
        else:
            iban, problem = customer_identity.normalise_iban(form.iban)
            if problem:
                errors["iban"] = _iban_reason(page, problem)
    return errors, national_id, iban


async def _show(page: Page, session: Any, tenant: CurrentTenant, principal: Principal, form: RefundForm,
                errors: dict[str, str], *, status_code: int = 200) -> Template:
    payment = await service.get_payment(session, principal, _payment_id(form.payment))
    totals = await ledger.payment_totals(session, payment.id)
    decision: RefundDecision | None = None
    if totals.refundable.amount_minor > 0:
        decision = await refunds.decision_for(session, tenant, principal, refunds.RefundAsk(
            source="payment", payment_id=payment.id), now=utcnow())
    return render(page, "pay/refund_new.html", status_code=status_code, payment=payment, totals=totals,
                  decision=decision, asks=_asks(decision) if decision else Asks(False, False), form=form,
                  errors=errors, labels=labels, purpose=labels.purpose_label(page.translations, payment.purpose),
                  max_note=MAX_NOTE)


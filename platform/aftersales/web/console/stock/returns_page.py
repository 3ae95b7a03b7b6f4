"""Return batches in the console (``/console/stock/returns``, ``parts:supply``): faulty parts replaced under
warranty going back to their supplier under its RMA number — open, sent, then credited or rejected — each with the
warranty cost its parts stand for against the supplier's credit. Staff open a batch of a supplier's parts awaiting
return, mark it sent and record the credit (typed in the tenant's currency, in the reader's digits), through the
services the supply API calls (:mod:`aftersales.parts.supply.returns`); a refusal is worded by its code (409) or
beside its field (422), and nothing is written."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from typing import Any

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.money import Money
from aftersales.db.base import utcnow
from aftersales.errors import Conflict, InvalidInput
from aftersales.http.context import SessionDep, TenantDep
from aftersales.identity.scopes import PARTS_SUPPLY
from aftersales.parts.supply import returns
from aftersales.tenancy.current import CurrentTenant
from aftersales.web.console.console_pages import actor_of, console_page, show
from aftersales.web.console.stock.refusals import conflict_reason, field_reason
from aftersales.web.console.stock.words import StockLabels
from aftersales.web.forms import form_fields
from aftersales.web.page_auth import Viewer, ViewerDep
from aftersales.web.page_controller import PageController
from aftersales.web.portal.account.forms import typed_minor


@dataclass(frozen=True)
class BatchRow:
    """A batch with how many parts it holds and its account."""

    account: returns.BatchAccount
    quantity: int

    @property
    def batch(self) -> Any:
        return self.account.batch


async def _page(request: Request[Any, Any, Any], tenant: CurrentTenant, session: AsyncSession, viewer: Viewer, *,
                status_code: int = 200, typed: dict[str, str] | None = None,
                errors: dict[str, str] | None = None, refusal: str = "") -> Template:
    viewer.staff(PARTS_SUPPLY)
    page, clock = console_page(request, tenant, viewer)
    rows = []
    for batch in await returns.list_batches(session):
        account = await returns.account(session, tenant, batch.id)
        rows.append(BatchRow(account, sum(p.quantity for p in account.parts)))
    awaiting: Counter[str] = Counter()
    for faulty in await returns.awaiting_return(session):
        awaiting[faulty.supplier] += faulty.quantity
    return show(request, page, clock, "console/stock/returns.html", status_code=status_code, section="stock",
                tab="returns", batches=rows, awaiting=sorted(awaiting.items()), currency=tenant.record.currency,
                stock_labels=StockLabels(page.translations), typed=typed or {}, errors=errors or {},
                refusal=refusal)


def _back(request: Request[Any, Any, Any], tenant: CurrentTenant, viewer: Viewer, batch_id: uuid.UUID) -> Redirect:
    page = console_page(request, tenant, viewer)[0]
    return Redirect(page.url(f"/console/stock/returns#batch-{batch_id}"), status_code=303)


class ConsoleReturnBatchesController(PageController):
    """The return batches page and its actions."""

    @get("/console/stock/returns")
    async def batches(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                      viewer: ViewerDep) -> Template:
        """Every batch, newest first, and the suppliers whose faulty parts await a batch."""
        return await _page(request, tenant, session, viewer)

    @post("/console/stock/returns")
    async def open_batch(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                         viewer: ViewerDep) -> Template | Redirect:
        """Collect every faulty part awaiting return to a supplier into a batch under the supplier's RMA number."""
        staff = viewer.staff(PARTS_SUPPLY)
        page, clock = console_page(request, tenant, viewer)
        _ = page.translations.gettext
        typed = await form_fields(request, "supplier", "rma_number")
        try:
            async with session.begin_nested():
                batch = await returns.open_batch(session, supplier=typed["supplier"], rma_number=typed["rma_number"],
                                                 faulty_ids=None, actor=actor_of(staff), now=utcnow())
        except InvalidInput as exc:
            words = {"supplier": _("Choose the supplier whose parts go back."),
                     "rma_number": _("Give the supplier's RMA number (at most %(count)s characters).") % {
                         "count": page.fmt.number(returns.MAX_RMA)}}
            return await _page(request, tenant, session, viewer, status_code=422, typed=typed, errors={
                e.field: words.get(e.field) or field_reason(clock, e) for e in reversed(exc.errors)})
        except Conflict as exc:
            return await _page(request, tenant, session, viewer, status_code=409, typed=typed,
                               refusal=conflict_reason(clock, exc))
        return _back(request, tenant, viewer, batch.id)

    @post("/console/stock/returns/{batch_id:uuid}/send")
    async def send(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep, viewer: ViewerDep,
                   batch_id: FromPath[uuid.UUID]) -> Template | Redirect:
        """The batch leaves for its supplier."""
        staff = viewer.staff(PARTS_SUPPLY)
        try:
            async with session.begin_nested():
                await returns.send(session, batch_id, actor=actor_of(staff), now=utcnow())
        except Conflict as exc:
            clock = console_page(request, tenant, viewer)[1]
            return await _page(request, tenant, session, viewer, status_code=409, refusal=conflict_reason(clock, exc))
        return _back(request, tenant, viewer, batch_id)

    @post("/console/stock/returns/{batch_id:uuid}/credit")
    async def credit(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                     viewer: ViewerDep, batch_id: FromPath[uuid.UUID]) -> Template | Redirect:
        """Record the supplier's credit for the sent batch, in the tenant's currency."""
        staff = viewer.staff(PARTS_SUPPLY)
        page, clock = console_page(request, tenant, viewer)
        _ = page.translations.gettext
        typed = {**await form_fields(request, "credit"), "batch": str(batch_id)}
        await returns.get_batch(session, batch_id)  # another tenant's batch, or none: 404
        currency = tenant.record.currency
        minor = typed_minor(typed["credit"], currency, page.locale) if typed["credit"] else None
        if minor is None or minor < 0:
            return await _page(request, tenant, session, viewer, status_code=422, typed=typed, errors={
                "credit": _("Enter the amount as a number, for example %(example)s.") % {
                    "example": page.fmt.money(Money(12_500_000, currency))}})
        try:
            async with session.begin_nested():
                await returns.credit(session, tenant, batch_id, minor, actor=actor_of(staff), now=utcnow())
        except InvalidInput as exc:
            return await _page(request, tenant, session, viewer, status_code=422, typed=typed,
                               errors={"credit": field_reason(clock, exc.errors[0])})
        except Conflict as exc:
            return await _page(request, tenant, session, viewer, status_code=409, typed=typed,
                               refusal=conflict_reason(clock, exc))
        return _back(request, tenant, viewer, batch_id)

"""Coverage: what a registration's warranty covers, computed by the vertical and stored with its reasons.

The vertical's ``aftersales_warranty_terms`` decides the terms from the model and the sale. The result is
stored as a :class:`~aftersales.warranty.models.Coverage` row, per-component items included; recomputing
(after an exchange, when the installation date is recorded or the installation training is signed off)
supersedes the current row rather than overwriting it, so what a customer was told at any time can be shown later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal, Protocol

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.money import Money
from aftersales.contract.text import loaded_text, stored_text
from aftersales.contract.values import CoverageItem, SaleInfo, WarrantyTerms
from aftersales.tenancy.current import CurrentTenant
from aftersales.warranty.catalog import product_info
from aftersales.warranty.models import Claim, Coverage, ProductModel, Registration

CoverageStatus = Literal["in_warranty", "expired", "not_started", "no_warranty"]
ComponentStatus = Literal["in_warranty", "expired", "not_started", "not_covered"]


@dataclass(frozen=True)
class ComponentCover:
    """One coverage item as people read it: the component's code and name, the last day covered (None:
    excluded), its status on a day, and the vertical's reason."""

    component: str
    name: str
    covered: bool
    covered_until: date | None
    status: ComponentStatus
    reason: str


def sale_of(registration: Registration, exchanged_on: date | None = None) -> SaleInfo:
    """The sale a registration records, as the warranty rules see it."""
    price = Money(registration.price_minor, registration.currency) if registration.price_minor is not None else None
    return SaleInfo(sold_on=registration.purchased_on, price=price, seller=registration.seller,
                    invoice_number=registration.invoice_number, exchanged_on=exchanged_on,
                    installed_on=registration.installed_on,
                    training_signed_off_on=registration.training_signed_off_on)


def items_record(items: tuple[CoverageItem, ...]) -> list[dict[str, Any]]:
    """Coverage items as a coverage row stores them (JSON; a reason as its message id and parameters)."""
    return [{"component": i.component, "ends_on": i.ends_on.isoformat() if i.ends_on else None,
             "covered": i.covered, "reason": stored_text(i.reason), "name": stored_text(i.name)} for i in items]


def items_of(stored: list[dict[str, Any]] | None) -> tuple[CoverageItem, ...]:
    """The coverage items :func:`items_record` stored."""
    return tuple(CoverageItem(component=i["component"],
                              ends_on=date.fromisoformat(i["ends_on"]) if i.get("ends_on") else None,
                              covered=bool(i.get("covered", True)), reason=loaded_text(i.get("reason") or ""),
                              name=loaded_text(i.get("name") or ""))
                 for i in stored or ())


def terms_of(coverage: Coverage) -> WarrantyTerms:
    """The stored terms, as the claim rules receive them."""
    return WarrantyTerms(
        warranty_start=coverage.warranty_start, warranty_end=coverage.warranty_end,
        parts_support_end=coverage.parts_support_end, return_until=coverage.return_until,
        exchange_until=coverage.exchange_until, restarts_on_exchange=coverage.restarts_on_exchange,
        exclusions=tuple(coverage.exclusions or ()), reasons=tuple(coverage.reasons or ()),
        coverage=items_of(coverage.items),
    )


class CoveragePeriod(Protocol):
    """What :func:`status_on` reads: a :class:`Coverage`, or a Core row with its two dates."""

    warranty_start: date
    warranty_end: date


def status_on(coverage: CoveragePeriod, day: date) -> CoverageStatus:
    """Whether the warranty runs on ``day``: its start and end dates both count as covered. Terms that end where
    they start give no warranty at all (a tenant offering none, e.g. Carmax, seed 002)."""
    if coverage.warranty_end <= coverage.warranty_start:
        return "no_warranty"
    if day < coverage.warranty_start:
        return "not_started"
    return "in_warranty" if day <= coverage.warranty_end else "expired"


def component_cover(stored_items: list[dict[str, Any]] | None, coverage: CoveragePeriod,
                    day: date) -> list[ComponentCover]:
    """Each stored coverage item of ``coverage`` with its own last day (its end, else the warranty's) and its
    status on ``day``."""
    shown = []
    for item in items_of(stored_items):
        until = (item.ends_on or coverage.warranty_end) if item.covered else None
        status: ComponentStatus
        if until is None:
            status = "not_covered"
        elif day < coverage.warranty_start:
            status = "not_started"
        else:
            status = "in_warranty" if day <= until else "expired"
        shown.append(ComponentCover(item.component, item.label, item.covered, until, status, item.reason))
    return shown


async def current_coverage(session: AsyncSession, registration: Registration) -> Coverage | None:
    return await session.scalar(select(Coverage).where(
        Coverage.registration_id == registration.id, Coverage.superseded_at.is_(None)))


async def record_coverage(session: AsyncSession, tenant: CurrentTenant, registration: Registration,
                          model: ProductModel, *, cause: str, now: datetime,
                          exchanged_on: date | None = None) -> Coverage:
    """Ask the vertical for the terms of this registration's sale and store them as its current coverage."""
    terms = tenant.hooks.aftersales_warranty_terms(tenant=tenant.context, product=product_info(model),
                                                   sale=sale_of(registration, exchanged_on))
    return await _replace_current(session, registration, Coverage(
        registration_id=registration.id, warranty_start=terms.warranty_start, warranty_end=terms.warranty_end,
        parts_support_end=terms.parts_support_end, return_until=terms.return_until,
        exchange_until=terms.exchange_until, restarts_on_exchange=terms.restarts_on_exchange,
        exclusions=list(terms.exclusions), reasons=list(terms.reasons), items=items_record(terms.coverage),
        cause=cause,
    ), now)


async def last_exchange(session: AsyncSession, registration: Registration) -> date | None:
    """When the registration's unit was handed over as an exchange, if it was (terms may restart from it),
    whichever owner's claim it came from."""
    return await session.scalar(select(func.max(Claim.exchanged_on)).where(
        Claim.replacement_serial_id == registration.serial_id))


async def redecide_coverage(session: AsyncSession, tenant: CurrentTenant, registration: Registration,
                            model: ProductModel, *, cause: str, now: datetime) -> Coverage:
    """Ask the vertical again with the sale as it stands now (installation date, training sign-off, last
    exchange) and store the answer as the current coverage, with its reasons."""
    return await record_coverage(session, tenant, registration, model, cause=cause, now=now,
                                 exchanged_on=await last_exchange(session, registration))


async def carry_coverage(session: AsyncSession, source: Coverage, registration: Registration,
                         *, reason: str) -> Coverage:
    """The same terms for the next owner: a transfer hands the warranty on, it does not restart it."""
    copy = Coverage(
        registration_id=registration.id, warranty_start=source.warranty_start, warranty_end=source.warranty_end,
        parts_support_end=source.parts_support_end, return_until=source.return_until,
        exchange_until=source.exchange_until, restarts_on_exchange=source.restarts_on_exchange,
        exclusions=list(source.exclusions or ()), reasons=[*(source.reasons or ()), reason],
        items=list(source.items or ()), cause="transferred",
    )
    session.add(copy)
    await session.flush()
    return copy


async def _replace_current(session: AsyncSession, registration: Registration, coverage: Coverage,
                           now: datetime) -> Coverage:
    previous = await current_coverage(session, registration)
    if previous is not None:
        previous.superseded_at = now
        await session.flush()  # before the insert: one current coverage per registration (a unique index)
    session.add(coverage)
    await session.flush()
    return coverage

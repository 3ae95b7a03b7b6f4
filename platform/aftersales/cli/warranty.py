"""``aftersales warranty …``: look a unit up and register a purchase from a terminal.

Recalls are campaigns that notify the owners and track each unit: ``aftersales recalls``
(:mod:`aftersales.cli.recalls`).

The same services as the API, in one transaction per command; a bad input is one line and exit status 1.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import click

from aftersales.cli.support import friendly_errors, run_with_runtime
from aftersales.db.base import utcnow
from aftersales.identity.customers import CustomerDetails
from aftersales.runtime import Runtime
from aftersales.tenancy.current import CurrentTenant, bind_tenant
from aftersales.tenancy.directory import get_tenant
from aftersales.warranty.registrations import services as registrations
from aftersales.warranty.registrations.coverage import status_on
from aftersales.warranty.serials.lookup import require_unit


async def cli_tenant(runtime: Runtime, slug: str) -> CurrentTenant:
    """The tenant with this slug, bound to its plugins. :raises NotFound: no such tenant."""
    async with runtime.db.transaction(None) as platform:
        return bind_tenant(await get_tenant(platform, slug), runtime.plugins)


@click.group()
def warranty() -> None:
    """Units and registrations of one tenant."""


@warranty.command()
@click.argument("tenant_slug")
@click.argument("serial")
@friendly_errors
def show(tenant_slug: str, serial: str) -> None:
    """Print a unit, its owner and its coverage as JSON."""

    async def work(runtime: Runtime) -> dict[str, Any]:
        tenant = await cli_tenant(runtime, tenant_slug)
        async with runtime.db.transaction(tenant.record.id) as session:
            located = await require_unit(session, tenant, serial)
            assert located.unit is not None and located.model is not None
            unit, coverage = located.unit, located.coverage
            shown: dict[str, Any] = {"serial": unit.serial, "model": located.model.sku, "status": unit.status,
                                     "status_reason": unit.status_reason, "registration_id": located.registration_id}
            if coverage is not None:
                shown["coverage"] = {"status": status_on(coverage, tenant.today()),
                                     "warranty_start": coverage.warranty_start, "warranty_end": coverage.warranty_end,
                                     "parts_support_end": coverage.parts_support_end, "reasons": coverage.reasons}
            return shown

    click.echo(json.dumps(run_with_runtime(work), default=str, ensure_ascii=False, indent=2))


@warranty.command()
@click.argument("tenant_slug")
@click.argument("serial")
@click.option("--purchased-on", required=True, type=click.DateTime(formats=["%Y-%m-%d"]))
@click.option("--owner-name", required=True)
@click.option("--owner-phone", default=None)
@click.option("--owner-email", default=None)
@click.option("--invoice", "invoice_number", default="")
@click.option("--price", default=None, help="decimal, in the tenant's currency")
@click.option("--seller", default="")
@friendly_errors
def register(tenant_slug: str, serial: str, purchased_on: Any, owner_name: str, owner_phone: str | None,
             owner_email: str | None, invoice_number: str, price: str | None, seller: str) -> None:
    """Register a purchase for a customer and print the warranty it got."""

    async def work(runtime: Runtime) -> tuple[str, date]:
        tenant = await cli_tenant(runtime, tenant_slug)
        details = registrations.PurchaseDetails(
            serial=serial, purchased_on=purchased_on.date(), invoice_number=invoice_number, price=price, seller=seller,
            owner=CustomerDetails(name=owner_name, phone=owner_phone, email=owner_email))
        async with runtime.db.transaction(tenant.record.id) as session:
            done = await registrations.register_purchase(session, tenant, details, registered_by="cli:operator",
                                                         now=utcnow())
            assert done.coverage is not None
            return str(done.registration.id), done.coverage.warranty_end

    registration_id, warranty_end = run_with_runtime(work)
    click.echo(f"registered {registration_id}; warranty until {warranty_end.isoformat()}")


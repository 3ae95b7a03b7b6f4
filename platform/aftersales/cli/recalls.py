"""``aftersales recalls …``: draft, launch, follow and close recall campaigns from a terminal.

The same services as the API, one transaction per command; a bad input is one line and exit status 1.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any
from uuid import UUID

import click

from aftersales.cli.support import friendly_errors, run_with_runtime
from aftersales.cli.warranty import cli_tenant
from aftersales.db.base import utcnow
from aftersales.runtime import Runtime
from aftersales.warranty.recalls import services as service

CLI_ACTOR = "cli:operator"


@click.group()
def recalls() -> None:
    """Recall campaigns of one tenant: the units of a defect, their owners notified."""


@recalls.command()
@click.argument("tenant_slug")
@click.option("--title", required=True)
@click.option("--reason", required=True, help="the defect, in words")
@click.option("--remedy", required=True, help="what the owner should do; the notice says it")
@click.option("--model", "model_sku", default=None, help="select the units of this model SKU")
@click.option("--batch", default=None, help="select the units of this batch")
@click.option("--from", "serial_from", default=None, help="first serial of a range")
@click.option("--to", "serial_to", default=None, help="last serial of a range (same length as --from)")
@friendly_errors
def create(tenant_slug: str, title: str, reason: str, remedy: str, model_sku: str | None, batch: str | None,
           serial_from: str | None, serial_to: str | None) -> None:
    """Draft a campaign and print its id and reach; nothing is recalled or sent until it is launched."""
    draft = service.CampaignDraft(title=title, reason=reason, remedy=remedy, model_sku=model_sku, batch=batch,
                                  serial_from=serial_from, serial_to=serial_to)

    async def work(runtime: Runtime) -> tuple[UUID, service.Preview]:
        tenant = await cli_tenant(runtime, tenant_slug)
        async with runtime.db.transaction(tenant.record.id) as session:
            campaign = await service.create_campaign(session, tenant, draft, created_by=CLI_ACTOR, now=utcnow())
            return campaign.id, await service.preview(session, campaign)

    campaign_id, reach = run_with_runtime(work)
    click.echo(f"drafted {campaign_id}: {reach.units} units in service, {reach.registered} registered "
               f"({reach.owners} owners to notify), {reach.skipped} matching units out of service")


@recalls.command()
@click.argument("tenant_slug")
@click.argument("campaign_id", type=click.UUID)
@friendly_errors
def launch(tenant_slug: str, campaign_id: UUID) -> None:
    """Recall the campaign's units and queue the owners' notices, all in one transaction."""

    async def work(runtime: Runtime) -> service.Progress:
        tenant = await cli_tenant(runtime, tenant_slug)
        async with runtime.db.transaction(tenant.record.id) as session:
            campaign = await service.launch(session, tenant, campaign_id, actor=CLI_ACTOR,
                                            link_base=runtime.settings.base_url, now=utcnow())
            return await service.progress(session, campaign)

    done = run_with_runtime(work)
    click.echo(f"launched: {done.units} units recalled, {done.notified} owners notified, "
               f"{done.unregistered} without an owner")


@recalls.command()
@click.argument("tenant_slug")
@click.argument("campaign_id", type=click.UUID)
@friendly_errors
def progress(tenant_slug: str, campaign_id: UUID) -> None:
    """Print the campaign's status and its units by step as JSON."""

    async def work(runtime: Runtime) -> dict[str, Any]:
        tenant = await cli_tenant(runtime, tenant_slug)
        async with runtime.db.transaction(tenant.record.id) as session:
            campaign = await service.get_campaign(session, campaign_id)
            shown: dict[str, Any] = {"id": str(campaign.id), "title": campaign.title, "status": campaign.status}
            if campaign.launched_at is None:
                shown["preview"] = asdict(await service.preview(session, campaign))
            else:
                shown["progress"] = asdict(await service.progress(session, campaign))
            return shown

    click.echo(json.dumps(run_with_runtime(work), ensure_ascii=False, indent=2))


@recalls.command()
@click.argument("tenant_slug")
@click.argument("campaign_id", type=click.UUID)
@friendly_errors
def close(tenant_slug: str, campaign_id: UUID) -> None:
    """Close the campaign (units not yet fixed stay recalled)."""

    async def work(runtime: Runtime) -> None:
        tenant = await cli_tenant(runtime, tenant_slug)
        async with runtime.db.transaction(tenant.record.id) as session:
            await service.close(session, campaign_id, now=utcnow())

    run_with_runtime(work)
    click.echo(f"closed {campaign_id}")

"""The missing unit alert (issue 20 §2): a leg not received within the vertical's business days (Mehr on
electronics: 3, counted in Tehran's calendar) is reported once by the worker — on the timeline, as ``unit.missing``
and by e-mail to whoever handles the request. Edges: received the minute before the expected time vs not received
the minute after; two holidays (Islamic Republic Day, Nature Day) inside the count; racing senders and workers."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from uuid import UUID

import pytest
from sqlalchemy import select, text

from aftersales.accounts.services import create_staff
from aftersales.db.session import Database
from aftersales.errors import Conflict
from aftersales.identity.customers import CustomerDetails
from aftersales.outbox.models import OutboxMessage
from aftersales.service.intake.services import IntakeAsked, take_in
from aftersales.service.models import RequestEvent, ServicePoint, UnitTransfer
from aftersales.service.requests.services import NewRequest, assign_request, open_request
from aftersales.service.transfers.missing import mark_missing_units
from aftersales.service.transfers.services import TransferAsked, receive_unit, send_unit
from aftersales.tenancy.current import bind_tenant
from aftersales.worker import JOBS
from support.service import IRAN, tehran
from support.transit import MEHR_ANSWERS, SIGNATURE

SENT = tehran("2026-03-31", 10)
"""A Tuesday; 1 and 2 April 2026 (12 and 13 Farvardin 1405) are public holidays, 3 April a Friday."""
EXPECTED = tehran("2026-04-06", 10)
"""Three business days later: Saturday 4, Sunday 5, Monday 6 April (without the holidays: Saturday 4 April)."""


async def mehr(runtime, make_tenant):
    record = await make_tenant("mehr", **IRAN)
    async with runtime.db.transaction(record.id) as s:
        workshop = ServicePoint(name="Central workshop", latitude=35.7, longitude=51.4, country="IR", kind="workshop")
        office = ServicePoint(name="Tajrish office", latitude=35.8, longitude=51.43, country="IR", kind="office")
        s.add_all([workshop, office])
        await s.flush()
    return bind_tenant(record, runtime.plugins), workshop.id, office.id


async def taken_in_at(runtime, tenant, office, at):
    async with runtime.db.transaction(tenant.record.id) as s:
        request = await open_request(s, tenant, NewRequest(
            kind="repair", channel="walk_in", summary="screen flickers",
            customer=CustomerDetails(name="Sara Ahmadi", phone="+98 912 345 6789")), actor="staff:1", now=at)
        await take_in(s, tenant, runtime.settings.data_dir, request.id, IntakeAsked(
            service_point_id=office, answers=MEHR_ANSWERS, signer_name="Sara Ahmadi", signature=SIGNATURE),
            actor="staff:1", now=at)
    return request.id


async def sent_unit(runtime, tenant, workshop, office, at=SENT):
    request_id = await taken_in_at(runtime, tenant, office, at - timedelta(hours=1))
    async with runtime.db.transaction(tenant.record.id) as s:
        leg = await send_unit(s, tenant, request_id, TransferAsked(workshop, "PST-1001", "Post"), actor="staff:1",
                              now=at)
    return request_id, leg.id


async def rows(runtime, tenant, query):
    async with runtime.db.transaction(tenant.record.id) as s:
        return list((await s.scalars(query)).all())


def test_the_missing_unit_alert_is_a_worker_job():
    assert mark_missing_units in JOBS


async def test_a_unit_received_the_minute_before_is_not_missing_one_not_received_the_minute_after_is(
        runtime, client, make_tenant, staff_token):
    tenant, workshop, office = await mehr(runtime, make_tenant)
    admin = await staff_token(tenant.record, "admin")
    await client.post("/api/v1/webhooks/", headers=admin, json={
        "url": "https://erp.mehr-demo.com/hooks", "events": ["unit.missing"]})
    arrived, lost = await sent_unit(runtime, tenant, workshop, office), await sent_unit(runtime, tenant, workshop, office)
    [leg, _] = await rows(runtime, tenant, select(UnitTransfer).order_by(UnitTransfer.id))
    assert leg.expected_by == EXPECTED
    assert await mark_missing_units(runtime, tenant.record.id, tehran("2026-04-04", 10, 1)) == 0  # the holidays count
    async with runtime.db.transaction(tenant.record.id) as s:
        await receive_unit(s, tenant, arrived[0], arrived[1], received_at=None, actor="staff:2",
                           now=EXPECTED - timedelta(minutes=1))
    assert await mark_missing_units(runtime, tenant.record.id, EXPECTED - timedelta(minutes=1)) == 0
    assert await mark_missing_units(runtime, tenant.record.id, EXPECTED + timedelta(minutes=1)) == 1
    assert await mark_missing_units(runtime, tenant.record.id, EXPECTED + timedelta(hours=2)) == 0  # once
    [missing] = await rows(runtime, tenant, select(UnitTransfer).where(UnitTransfer.missing_at.is_not(None)))
    assert (missing.id, missing.missing_at) == (lost[1], EXPECTED + timedelta(minutes=1))
    [event] = await rows(runtime, tenant, select(RequestEvent).where(RequestEvent.kind == "unit_missing"))
    assert event.request_id == lost[0] and "not received by 2026-04-06" in event.note
    sent = await rows(runtime, tenant, select(OutboxMessage).where(OutboxMessage.event == "unit.missing"))
    assert sorted(m.channel for m in sent) == ["email", "webhook"]
    [webhook] = [m for m in sent if m.channel == "webhook"]
    assert (webhook.payload["transfer_id"], webhook.payload["expected_by"]) == (str(lost[1]), "2026-04-06T06:30:00Z")
    listed = (await client.get("/api/v1/transfers?state=missing", headers=admin)).json()
    assert [t["id"] for t in listed] == [str(lost[1])]


async def test_the_assignee_is_told_and_without_one_the_admins(runtime, make_tenant, staff_token):
    tenant, workshop, office = await mehr(runtime, make_tenant)
    async with runtime.db.transaction(tenant.record.id) as s:
        admin = await create_staff(s, email="boss@mehr-demo.com", name="Boss", roles=["admin"], password=None)
        tech = await create_staff(s, email="tech@mehr-demo.com", name="Tech", roles=["technician"], password=None)
    assigned, _ = await sent_unit(runtime, tenant, workshop, office)
    async with runtime.db.transaction(tenant.record.id) as s:
        await assign_request(s, assigned, tech.id, actor="staff:1", note="", now=SENT)
    await sent_unit(runtime, tenant, workshop, office)
    assert await mark_missing_units(runtime, tenant.record.id, EXPECTED + timedelta(minutes=1)) == 2
    emails = await rows(runtime, tenant, select(OutboxMessage).where(OutboxMessage.channel == "email",
                                                                     OutboxMessage.event == "unit.missing"))
    told = {(UUID(m.payload["request_id"]) == assigned, m.recipient) for m in emails}
    assert told == {(True, tech.email), (False, admin.email)}
    assert all(m.subject.startswith("Unit missing: request #") for m in emails)


async def test_a_missing_unit_that_arrives_is_received_and_leaves_the_missing_list(runtime, make_tenant):
    tenant, workshop, office = await mehr(runtime, make_tenant)
    request_id, leg_id = await sent_unit(runtime, tenant, workshop, office)
    assert await mark_missing_units(runtime, tenant.record.id, EXPECTED + timedelta(days=1)) == 1
    async with runtime.db.transaction(tenant.record.id) as s:
        await receive_unit(s, tenant, request_id, leg_id, received_at=None, actor="staff:2",
                           now=EXPECTED + timedelta(days=2))
    assert await mark_missing_units(runtime, tenant.record.id, EXPECTED + timedelta(days=3)) == 0


@pytest.mark.postgres_only
async def test_ten_racing_senders_send_the_unit_once_and_two_workers_report_it_once(backend, runtime, make_tenant):
    tenant, workshop, office = await mehr(runtime, make_tenant)
    request_id = await taken_in_at(runtime, tenant, office, SENT - timedelta(hours=1))
    db = Database(backend.app_url, pool_size=12, max_overflow=0)
    everyone_in = asyncio.Barrier(10)

    async def send(i: int) -> str:
        try:
            async with db.transaction(tenant.record.id) as s:
                await s.execute(text("SELECT 1"))
                await everyone_in.wait()
                await send_unit(s, tenant, request_id, TransferAsked(workshop, f"PST-{i}", "Post"),
                                actor=f"staff:{i}", now=SENT)
            return "sent"
        except Conflict:
            return "refused"

    try:
        outcomes = await asyncio.gather(*(send(i) for i in range(10)))
    finally:
        await db.dispose()
    assert (outcomes.count("sent"), outcomes.count("refused")) == (1, 9)
    reported = await asyncio.gather(*(mark_missing_units(runtime, tenant.record.id, EXPECTED + timedelta(minutes=1))
                                      for _ in range(2)))
    assert sorted(reported) == [0, 1]
    assert len(await rows(runtime, tenant, select(RequestEvent).where(RequestEvent.kind == "unit_missing"))) == 1

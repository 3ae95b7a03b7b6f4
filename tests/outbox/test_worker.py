"""The worker: jobs for every active tenant, leases that outlive a dead worker, two workers sharing one
outbox without sending anything twice, a worker killed mid-delivery, SIGTERM, and the embedded default."""

from __future__ import annotations

import asyncio
import signal
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from aftersales.app import create_app
from aftersales.db.base import utcnow
from aftersales.outbox.channels.smtp import message_id_for
from aftersales.outbox.delivery import MAX_ATTEMPTS, UNFINISHED, claim_due, deliver_due
from aftersales.outbox.models import OutboxMessage
from aftersales.runtime import build_runtime
from aftersales.settings import load_settings
from aftersales.tenancy.models import Tenant
from aftersales.worker import JOBS, deliver_outbox, run_once

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
KILL_TEST_LEASE_SECONDS = "4"


def test_outbox_delivery_is_a_registered_job():
    assert deliver_outbox in JOBS


async def test_one_pass_runs_the_jobs_of_every_active_tenant_and_skips_suspended_ones(
        runtime, make_tenant, queue, tuned, tmp_path, reload):
    mehr, entekhab = await make_tenant("mehr"), await make_tenant("entekhab", vertical="appliances")
    carmax = await make_tenant("carmax", vertical="auto_service")
    texts = {t.slug: await queue(t.id, T0, channel="sms", recipient="+989121234567", key="hello")
             for t in (mehr, entekhab, carmax)}
    async with runtime.db.transaction(None) as session:
        await session.execute(update(Tenant).where(Tenant.id == carmax.id).values(status="suspended"))

    assert await run_once(tuned(data_dir=tmp_path), T0) == {
        "sweep_breaches": 0, "warn_at_risk": 0, "retry_failed_followups": 0, "send_due_followups": 0, "sweep_orders": 0,
        "send_late_delivery_notices": 0, "mark_missing_units": 0, "fix_due_plans": 0, "deliver_outbox": 2, "forget_rate_counters": 0}
    assert [(await reload(texts[slug])).status for slug in ("mehr", "entekhab", "carmax")] == [
        "delivered", "delivered", "pending"]


async def test_delivering_for_one_tenant_never_claims_another_tenants_messages(runtime, make_tenant, queue, reload):
    mehr, entekhab = await make_tenant("mehr"), await make_tenant("entekhab", vertical="appliances")
    theirs = await queue(mehr.id, T0)
    assert await deliver_due(runtime, entekhab.id, T0) == 0
    untouched = await reload(theirs)
    assert (untouched.status, untouched.attempts, untouched.lease_until) == ("pending", 0, None)


async def test_a_message_held_by_a_dead_worker_is_due_again_exactly_when_its_lease_ends(
        runtime, make_tenant, queue, smtp_server, tuned, reload):
    mehr = await make_tenant("mehr")
    worker = tuned(smtp_url=smtp_server.url, outbox_lease_seconds=60)
    queued = await queue(mehr.id, T0)
    async with runtime.db.transaction(mehr.id) as session:  # a worker claims it, then dies
        (claimed,) = await claim_due(session, now=T0, lease_until=T0 + timedelta(seconds=60), limit=10)
    assert claimed.attempts == 1

    assert await deliver_due(worker, mehr.id, T0 + timedelta(seconds=59)) == 0
    assert await deliver_due(worker, mehr.id, T0 + timedelta(seconds=60)) == 1
    smtp_server.inbox.wait_for(1)
    stored = await reload(queued)
    assert (stored.status, stored.attempts) == ("delivered", 2)


async def test_two_workers_never_deliver_one_message_twice(runtime, make_tenant, queue, smtp_server, tuned, reload):
    mehr = await make_tenant("mehr")
    count = 120
    queued = [await queue(mehr.id, T0, key=f"recall.notice:{n}", recipient=f"owner{n}@example.com")
              for n in range(count)]
    one = tuned(smtp_url=smtp_server.url)
    other = build_runtime(one.settings, plugins=one.plugins)  # a second engine: another process's connections

    async def drain(worker):
        handled = 0
        while batch := await deliver_due(worker, mehr.id, T0, limit=7):
            assert batch <= 7
            handled += batch
        return handled

    try:
        handled = await asyncio.gather(drain(one), drain(other))
    finally:
        await other.close()

    mails = smtp_server.inbox.wait_for(count)
    assert sum(handled) == count and all(handled)  # both took part
    ids = [mail["Message-ID"] for mail in mails]
    assert len(ids) == count and set(ids) == {message_id_for(mehr.id, m.idempotency_key, "localhost") for m in queued}
    assert {(m.status, m.attempts) for m in [await reload(q) for q in queued]} == {("delivered", 1)}


async def test_a_worker_killed_mid_delivery_loses_nothing(runtime, make_tenant, queue, smtp_server, spawn_worker,
                                                          reload):
    mehr = await make_tenant("mehr")
    queued = await queue(mehr.id, utcnow(), key="complaint.answered:3", subject="Your complaint")
    env = {"AFTERSALES_SMTP_URL": smtp_server.url, "AFTERSALES_OUTBOX_LEASE_SECONDS": KILL_TEST_LEASE_SECONDS}
    smtp_server.inbox.stall_next = True

    first = spawn_worker("--interval", "0.1", **env)
    assert smtp_server.inbox.stalled.wait(60), "the first worker never reached DATA"
    first.send_signal(signal.SIGKILL)
    first.wait()
    held = await reload(queued)
    assert (held.status, held.attempts, smtp_server.inbox.messages) == ("pending", 1, [])

    second = spawn_worker("--interval", "0.1", **env)
    (mail,) = smtp_server.inbox.wait_for(1)  # once the dead worker's lease has run out
    second.send_signal(signal.SIGTERM)  # a graceful stop records the delivery first
    assert second.wait(60) == 0
    assert mail["Message-ID"] == message_id_for(mehr.id, "complaint.answered:3", "localhost")
    delivered = await reload(queued)
    assert (delivered.status, delivered.attempts) == ("delivered", 2)


async def _crashed(runtime, message, times):
    """As if ``times`` workers each claimed ``message`` and died before recording how the attempt went."""
    async with runtime.db.transaction(message.tenant_id) as session:
        await session.execute(update(OutboxMessage).where(OutboxMessage.id == message.id)
                              .values(attempts=times, lease_until=T0, next_attempt_at=T0))


async def test_a_message_whose_every_attempt_killed_the_worker_is_failed_unsent_after_the_last_attempt(
        runtime, make_tenant, queue, smtp_server, tuned, reload):
    mehr = await make_tenant("mehr")
    worker = tuned(smtp_url=smtp_server.url)
    last_chance, hopeless = await queue(mehr.id, T0, key="a"), await queue(mehr.id, T0, key="b")
    await _crashed(runtime, last_chance, MAX_ATTEMPTS - 1)
    await _crashed(runtime, hopeless, MAX_ATTEMPTS)

    assert await deliver_due(worker, mehr.id, T0) == 2
    (mail,) = smtp_server.inbox.wait_for(1)
    assert mail["Message-ID"] == message_id_for(mehr.id, "a", "localhost")
    sent, given_up = await reload(last_chance), await reload(hopeless)
    assert (sent.status, sent.attempts) == ("delivered", MAX_ATTEMPTS)
    assert (given_up.status, given_up.attempts, given_up.last_error) == ("failed", MAX_ATTEMPTS + 1, UNFINISHED)
    assert await deliver_due(worker, mehr.id, T0 + timedelta(days=1)) == 0
    assert len(smtp_server.inbox.messages) == 1


async def test_the_worker_command_stops_gracefully_on_sigterm(make_tenant, spawn_worker):
    worker = spawn_worker("--interval", "30")
    assert worker.stdout is not None
    assert "worker running" in worker.stdout.readline()
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(60) == 0  # without waiting out the 30 s interval
    assert "worker stopped" in worker.stdout.read()


async def test_worker_once_runs_one_pass_and_reports_it(make_tenant, queue, smtp_server, spawn_worker, reload):
    mehr = await make_tenant("mehr")
    queued = await queue(mehr.id, utcnow())
    once = spawn_worker("--once", AFTERSALES_SMTP_URL=smtp_server.url)
    assert once.wait(60) == 0
    assert once.stdout is not None
    assert once.stdout.read().strip() == (
        "sweep_breaches: 0, warn_at_risk: 0, retry_failed_followups: 0, send_due_followups: 0, sweep_orders: 0, "
        "send_late_delivery_notices: 0, mark_missing_units: 0, fix_due_plans: 0, deliver_outbox: 1, forget_rate_counters: 0")
    assert (await reload(queued)).status == "delivered"


@asynccontextmanager
async def serving(app):
    """Run an ASGI app's lifespan in this event loop, as uvicorn does: startup on entry, shutdown on exit."""
    inbox: asyncio.Queue = asyncio.Queue()
    outbox: asyncio.Queue = asyncio.Queue()
    task = asyncio.create_task(app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}, inbox.get,
                                   outbox.put))
    await inbox.put({"type": "lifespan.startup"})
    assert (await outbox.get())["type"] == "lifespan.startup.complete"
    yield
    await inbox.put({"type": "lifespan.shutdown"})
    assert (await outbox.get())["type"] == "lifespan.shutdown.complete"
    await task


async def test_the_server_runs_the_worker_itself_when_embedded(runtime, make_tenant, queue, smtp_server, tuned,
                                                              reload):
    mehr = await make_tenant("mehr")
    queued = await queue(mehr.id, utcnow())
    async with serving(create_app(tuned(smtp_url=smtp_server.url, embedded_worker=True))):
        await asyncio.to_thread(smtp_server.inbox.wait_for, 1)
    assert (await reload(queued)).status == "delivered"  # shutting down let the pass record it


def test_the_embedded_worker_is_the_default_on_sqlite_only(monkeypatch):
    monkeypatch.delenv("AFTERSALES_EMBEDDED_WORKER", raising=False)
    sqlite = replace(load_settings(), database_url="sqlite+aiosqlite:///x.db")
    postgres = replace(sqlite, database_url="postgresql+asyncpg://app@db/aftersales")
    assert (sqlite.runs_embedded_worker, postgres.runs_embedded_worker) == (True, False)
    assert replace(postgres, embedded_worker=True).runs_embedded_worker is True
    monkeypatch.setenv("AFTERSALES_EMBEDDED_WORKER", "off")
    assert load_settings().runs_embedded_worker is False


async def test_one_pass_escalates_a_breach_and_delivers_its_e_mail(runtime, make_tenant, smtp_server, tuned):
    from aftersales.identity.customers import CustomerDetails
    from aftersales.service.requests.services import NewRequest, open_request
    from aftersales.tenancy.current import bind_tenant

    tenant = bind_tenant(await make_tenant("acme"), runtime.plugins)
    async with runtime.db.transaction(tenant.record.id) as session:
        request = await open_request(session, tenant, NewRequest(
            kind="inquiry", channel="phone", summary="how do I pair my watch?",
            customer=CustomerDetails(name="Test Customer", phone="+49 30 901820")), actor="staff:test", now=T0)
    # Monday 2 November 2026, 10:00 Berlin: the core's 2-business-day first response is due Wednesday 10:00.
    worker = tuned(smtp_url=smtp_server.url)
    assert await run_once(worker, T0 + timedelta(days=2) - timedelta(minutes=1)) == {  # at risk since Tuesday
        "sweep_breaches": 0, "warn_at_risk": 1, "retry_failed_followups": 0, "send_due_followups": 0, "sweep_orders": 0,
        "send_late_delivery_notices": 0, "mark_missing_units": 0, "fix_due_plans": 0, "deliver_outbox": 0, "forget_rate_counters": 0}
    assert await run_once(worker, T0 + timedelta(days=2)) == {
        "sweep_breaches": 1, "warn_at_risk": 0, "retry_failed_followups": 0, "send_due_followups": 0, "sweep_orders": 0,
        "send_late_delivery_notices": 0, "mark_missing_units": 0, "fix_due_plans": 0, "deliver_outbox": 1, "forget_rate_counters": 0}
    (mail,) = smtp_server.inbox.wait_for(1)
    assert mail["To"] == "help@acme-demo.com"
    assert mail["Subject"] == f"Request #{request.number}: first response overdue"
    assert await run_once(worker, T0 + timedelta(days=3)) == {
        "sweep_breaches": 0, "warn_at_risk": 0, "retry_failed_followups": 0, "send_due_followups": 0, "sweep_orders": 0,
        "send_late_delivery_notices": 0, "mark_missing_units": 0, "fix_due_plans": 0, "deliver_outbox": 0, "forget_rate_counters": 0}

"""Moving a tenant to another vertical (``aftersales tenants switch-vertical``): the dry run says what would change
and changes nothing; the switch drops and adds settings, recomputes open requests' clocks keeping the time
elapsed, keeps stored coverage as decided, and is all or nothing; the next request runs the new vertical's clocks;
another tenant is untouched."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from aftersales.errors import InvalidInput
from aftersales.identity.customers import CustomerDetails
from aftersales.marketplace.models import Offering
from aftersales.onboarding import vertical_switch
from aftersales.onboarding.vertical_switch import switch_vertical
from aftersales.service.models import RequestEvent, ServicePoint, SlaClock
from aftersales.service.requests import services as service
from aftersales.service.states import RequestState
from aftersales.tenancy.current import bind_tenant
from aftersales.tenancy.models import Tenant
from aftersales.warranty.models import Coverage
from aftersales.warranty.registrations.services import PurchaseDetails, register_purchase
from support.warranty import add_unit, imei

BERLIN = ZoneInfo("Europe/Berlin")
OPENED = datetime(2026, 11, 16, 9, 0, tzinfo=BERLIN)  # a Monday
SWITCHED = OPENED + timedelta(hours=10)
WORKSHOP = (52.52, 13.405)
SITE = {"site_latitude": 52.52 + 20 / 111.195, "site_longitude": 13.405}  # 20 km north of the service point
GIVEN = {"serial_pattern": "^[0-9]{15}$", "maintenance_review_months": 12}


async def laser_on_electronics(runtime, make_tenant, slug="laser"):
    """A laser-machine company onboarded on electronics (as Golden Laser was), with a service point, an open
    repair at a site 20 km away, a returned repair and a registered unit."""
    record = await make_tenant(slug, "electronics")
    tenant = bind_tenant(record, runtime.plugins)
    await add_unit(runtime, record, imei(1))
    async with runtime.db.transaction(record.id) as session:
        session.add(ServicePoint(name="Workshop", latitude=WORKSHOP[0], longitude=WORKSHOP[1], country="DE"))
        await session.flush()
        await register_purchase(session, tenant, PurchaseDetails(
            serial=imei(1), purchased_on=date(2026, 6, 1), owner=CustomerDetails(name="Owner", email="o@example.com")),
            registered_by="staff:test", now=OPENED - timedelta(days=100))
        ids = []
        for summary in ("the laser head overheats", "the chiller leaks"):
            request = await service.open_request(session, tenant, service.NewRequest(
                kind="repair", channel="fax", summary=summary,
                customer=CustomerDetails(name="Client", email="client@example.com"), **SITE),
                actor="staff:test", now=OPENED)
            ids.append(request.id)
        done = await service.open_request(session, tenant, service.NewRequest(
            kind="repair", channel="phone", summary="done", customer=CustomerDetails(name="C", email="c@example.com")),
            actor="staff:test", now=OPENED - timedelta(days=30))
        await service.move_request(session, tenant, done.id, RequestState.CLOSED, actor="staff:test", note="",
                                   now=OPENED - timedelta(days=29))
    return record, ids, done.id


async def snapshot(runtime, record):
    """The tenant's record and every row the switch may change."""
    async with runtime.db.platform_session() as session:
        stored = await session.get(Tenant, record.id)
        head = (stored.vertical, stored.plugin_settings)
    async with runtime.db.transaction(record.id) as session:
        clocks = sorted((c.request_id, c.name, c.clock, c.duration_seconds, c.due_at, c.met_at)
                        for c in await session.scalars(select(SlaClock)))
        notes = len((await session.scalars(select(RequestEvent).where(RequestEvent.kind == "note"))).all())
        offerings = sorted(await session.scalars(select(Offering.code)))
        coverage = sorted((c.warranty_start, c.warranty_end) for c in await session.scalars(select(Coverage)))
    return head, clocks, notes, offerings, coverage


async def clock_names(runtime, record, request_id):
    async with runtime.db.transaction(record.id) as session:
        return {c.name: c for c in await session.scalars(select(SlaClock).where(SlaClock.request_id == request_id))}


def rows(clocks):
    return {name: (c.clock, c.duration_seconds, c.started_at, c.met_at, c.due_at) for name, c in clocks.items()}


async def test_a_dry_run_says_what_would_change_and_changes_nothing(runtime, make_tenant):
    laser, _, _ = await laser_on_electronics(runtime, make_tenant)
    before = await snapshot(runtime, laser)
    plan = await switch_vertical(runtime.db, runtime.plugins, "laser", "industrial", GIVEN, now=SWITCHED,
                                 dry_run=True)
    assert await snapshot(runtime, laser) == before
    report = "\n".join(plan.report())
    assert report.startswith("laser: electronics → industrial (dry run: nothing changed)")
    assert "  repair_result_business_days = 7 (default)" in report  # dropped
    assert "  serial_pattern = '^[0-9]{15}$' (given)" in report and "  onsite_radius_km = 300 (default)" in report
    assert ("#1 repair, received: replacement (30 days business days) removed; result (7 days business days) "
            "removed; onsite added: 24 h calendar, due 2026-11-17 08:00 UTC") in report  # 24 h from the report
    assert "open requests: 2;" in report and "#3" not in report  # the closed request is history
    assert "stored coverage: kept as decided on 1 registration(s), not re-decided; industrial would decide 1" in report
    assert (f"{imei(1)}: kept 2026-06-01 to 2027-12-01; industrial would decide 2026-06-01 to 2027-06-01, parts until "
            "2034-06-01") in report
    assert "adds installation_training, maintenance_visit, onsite_repair, software_upgrade" in report
    assert [r.number for r in plan.requests] == [1, 2] and not plan.applied


async def test_the_switch_recomputes_open_clocks_keeps_coverage_and_leaves_other_tenants_alone(
        runtime, make_tenant, client, staff_token):
    laser, (first, second), done = await laser_on_electronics(runtime, make_tenant)
    other, _, _ = await laser_on_electronics(runtime, make_tenant, slug="other")
    other_before = await snapshot(runtime, other)
    closed_before = rows(await clock_names(runtime, laser, done))
    agent = await staff_token(laser, "agent")
    assert (await client.get("/api/v1/requests/", headers=agent)).status_code == 200  # the tenant is cached
    async with runtime.db.transaction(laser.id) as session:  # the engineer was on site for the second one
        await service.record_milestone(session, bind_tenant(laser, runtime.plugins), second, "on_site",
                                       actor="staff:test", note="", now=OPENED + timedelta(hours=8))
    done_switch = await switch_vertical(runtime.db, runtime.plugins, "laser", "industrial", GIVEN,
                                        now=SWITCHED, dry_run=False)
    assert done_switch.applied
    async with runtime.db.platform_session() as session:
        stored = await session.get(Tenant, laser.id)
    assert (stored.vertical, stored.plugin_settings) == ("industrial", {"industrial": GIVEN})
    clocks = await clock_names(runtime, laser, first)
    assert set(clocks) == {"onsite"}
    onsite = clocks["onsite"]
    assert (onsite.clock, onsite.duration_seconds, onsite.started_at) == ("calendar", 24 * 3600, OPENED)
    assert onsite.due_at == OPENED + timedelta(hours=24)  # 10 h of the 24 already used when the switch came
    met = (await clock_names(runtime, laser, second))["onsite"]  # replayed from the timeline: met in 8 h
    assert (met.met_at, met.breached_at, met.used_seconds) == (OPENED + timedelta(hours=8), None, 8 * 3600)
    assert rows(await clock_names(runtime, laser, done)) == closed_before
    async with runtime.db.transaction(laser.id) as session:
        notes = (await session.scalars(select(RequestEvent.note).where(
            RequestEvent.request_id == first, RequestEvent.kind == "note"))).all()
        coverage = (await session.scalars(select(Coverage))).one()
        offerings = set(await session.scalars(select(Offering.code)))
    assert notes == [("the company moved from the electronics to the industrial vertical: replacement (30 days "
                      "business days) removed; result (7 days business days) removed; onsite added: 24 h calendar, "
                      "due 2026-11-17 08:00 UTC")]
    assert (coverage.warranty_end, coverage.superseded_at) == (date(2027, 12, 1), None)  # 18 months, as told
    assert {"installation_training", "software_upgrade"} <= offerings
    assert await snapshot(runtime, other) == other_before
    created = await client.post("/api/v1/requests/", headers=agent, json={
        "kind": "repair", "channel": "letter", "summary": "the cutting head drifts",
        "customer": {"name": "Client", "email": "client@example.com"}})
    assert created.status_code == 201, created.text
    assert [c["name"] for c in created.json()["clocks"]] == ["onsite"]


async def test_a_clock_both_verticals_set_keeps_its_start_and_used_time_under_the_new_terms(runtime, make_tenant):
    record = await make_tenant("golden", "electronics", settings={"electronics": {"distance_sla": {}}})
    tenant = bind_tenant(record, runtime.plugins)
    async with runtime.db.transaction(record.id) as session:
        session.add(ServicePoint(name="Workshop", latitude=WORKSHOP[0], longitude=WORKSHOP[1], country="DE"))
        await session.flush()
        request = await service.open_request(session, tenant, service.NewRequest(
            kind="repair", channel="phone", summary="no beam", customer=CustomerDetails(name="C", email="c@x.com"),
            **SITE), actor="staff:test", now=OPENED)
        await service.put_on_hold(session, tenant, request.id, "waiting_for_customer", actor="staff:test", note="",
                                  now=OPENED + timedelta(hours=4))
    assert set(await clock_names(runtime, record, request.id)) == {"onsite", "result", "replacement"}
    plan = await switch_vertical(runtime.db, runtime.plugins, "golden", "industrial",
                                 {"onsite_hours_within_radius": 12}, now=SWITCHED, dry_run=False)
    onsite = (await clock_names(runtime, record, request.id))["onsite"]
    # 4 h used before the hold; still on hold: paused, with 8 of the new 12 h left
    assert (onsite.started_at, onsite.used_seconds, onsite.budget_seconds) == (OPENED, 4 * 3600, 12 * 3600)
    assert (onsite.paused_for, onsite.due_at) == ("waiting_for_customer", None)
    assert "onsite 24 h calendar → 12 h calendar, paused" in "\n".join(plan.report())


async def test_a_failure_midway_changes_nothing(runtime, make_tenant, monkeypatch):
    laser, _, _ = await laser_on_electronics(runtime, make_tenant)
    before = await snapshot(runtime, laser)
    real = vertical_switch.retarget_request
    calls = []

    async def fails_on_the_second(session, tenant, request, now, *, why):
        calls.append(request.number)
        if len(calls) == 2:
            raise RuntimeError("the database went away")
        return await real(session, tenant, request, now, why=why)

    monkeypatch.setattr(vertical_switch, "retarget_request", fails_on_the_second)
    with pytest.raises(RuntimeError):
        await switch_vertical(runtime.db, runtime.plugins, "laser", "industrial", GIVEN, now=SWITCHED, dry_run=False)
    assert calls == [1, 2]
    assert await snapshot(runtime, laser) == before


async def test_bad_switches_are_refused_with_every_field_and_change_nothing(runtime, make_tenant):
    laser, _, _ = await laser_on_electronics(runtime, make_tenant)
    before = await snapshot(runtime, laser)
    with pytest.raises(InvalidInput) as bad:
        await switch_vertical(runtime.db, runtime.plugins, "laser", "industrial",
                              {"onsite_radius_km": 0, "fax": True}, now=SWITCHED, dry_run=False)
    assert {e.field for e in bad.value.errors} == {"settings.industrial.onsite_radius_km", "settings.industrial.fax"}
    for vertical, field in (("electronics", "vertical"), ("boats", "vertical")):
        with pytest.raises(InvalidInput) as refused:
            await switch_vertical(runtime.db, runtime.plugins, "laser", vertical, {}, now=SWITCHED, dry_run=False)
        assert [e.field for e in refused.value.errors] == [field]
    assert await snapshot(runtime, laser) == before


async def test_switch_vertical_from_the_command_line(cli, runtime, make_tenant, tmp_path):
    laser, (first, _), _ = await laser_on_electronics(runtime, make_tenant)
    settings = tmp_path / "laser.toml"
    settings.write_text('vertical = "industrial"\n[settings.industrial]\nmaintenance_review_months = 12\n')
    dry = cli("tenants", "switch-vertical", "laser", "industrial", "--settings", str(settings), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "(dry run: nothing changed)" in dry.stdout and "maintenance_review_months = 12 (given)" in dry.stdout
    assert "#1 repair, received: replacement (30 days business days) removed" in dry.stdout
    assert set(await clock_names(runtime, laser, first)) == {"result", "replacement"}
    done = cli("tenants", "switch-vertical", "laser", "industrial", "--settings", str(settings))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("laser: electronics → industrial\n")
    assert set(await clock_names(runtime, laser, first)) == {"onsite"}
    again = cli("tenants", "switch-vertical", "laser", "industrial")
    assert again.returncode == 1 and again.stderr.count("\n") == 1 and "already on the industrial" in again.stderr

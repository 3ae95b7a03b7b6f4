"""Which hours a request's clocks count (issue 19 §2.5): the office's own hours, a half-day Thursday and Iran's
holidays included, or every hour for what comes in on a channel the tenant keeps open 24/7 (Entekhab's call
centre). Both on SQLite and PostgreSQL, through the services with the clock's instant given."""

from __future__ import annotations

from datetime import timedelta

import pytest

from aftersales.identity.customers import CustomerDetails
from aftersales.service.clocks.services import clocks_of, view
from aftersales.service.complaints.services import NewComplaint, file_complaint
from aftersales.service.requests import services as service
from support.service import tehran

FILED = tehran("2026-05-25", 9)
"""Monday 25 May 2026, 09:00 in Tehran: Wednesday 27 May is Eid al-Adha, Thursday 28 a half day, Friday 29 the
weekend."""


async def complaint_clock(runtime, tenant, channel: str, now=FILED):
    async with runtime.db.transaction(tenant.record.id) as session:
        complaint = await file_complaint(session, tenant, NewComplaint(
            channel=channel, subject="cost", summary="the repair cost more than I was told",
            customer=CustomerDetails(name="Test Customer", phone="+98 912 000 0001")), actor="staff:test", now=now)
        [clock] = [c for c in await clocks_of(session, complaint.request_id) if c.name == "complaint_response"]
        return clock


async def test_mehrs_48_business_hours_skip_eid_al_adha_and_count_thursday_as_a_morning(runtime, seed_tenant):
    mehr = await seed_tenant("mehr")
    clock = await complaint_clock(runtime, mehr, "walk_in")
    # Mon 09–17 (8 h), Tue 08–17 (17), Wed 27 Eid al-Adha (17), Thu 08–13 (22), Fri weekend, Sat (31), Sun (40),
    # Mon 1 June 08–16 (48): a full Thursday would make it Mon 12:00, no holiday Sun 16:00.
    assert (clock.clock, clock.due_at) == ("business_hours", tehran("2026-06-01", 16))
    assert view(clock, mehr.calendar, tehran("2026-05-28", 12, 59)).remaining == timedelta(hours=26, minutes=1)
    assert view(clock, mehr.calendar, tehran("2026-05-28", 15)).remaining == timedelta(hours=26)  # closed at 13:00
    assert view(clock, mehr.calendar, tehran("2026-06-01", 15, 59)).state == "at_risk"
    assert view(clock, mehr.calendar, tehran("2026-06-01", 16)).state == "breached"


@pytest.mark.parametrize(("channel", "kind", "due"), [
    ("hotline", "calendar", tehran("2026-05-27", 9)),        # 48 hours on the clock, Eid al-Adha or not
    ("phone", "business_hours", tehran("2026-06-01", 16)),   # the office's 48 business hours
])
async def test_entekhabs_call_centre_complaint_counts_every_hour_and_a_phone_one_office_hours(
        runtime, seed_tenant, channel, kind, due):
    entekhab = await seed_tenant("entekhab")
    clock = await complaint_clock(runtime, entekhab, channel)
    assert (clock.clock, clock.due_at) == (kind, due)
    before, after = due - timedelta(minutes=1), due
    assert view(clock, entekhab.calendar, before).state == "at_risk"
    assert view(clock, entekhab.calendar, after).state == "breached"


async def test_a_request_opened_on_the_hotline_at_night_starts_counting_at_once(runtime, seed_tenant):
    entekhab = await seed_tenant("entekhab")
    night = tehran("2026-05-25", 23)
    async with runtime.db.transaction(entekhab.record.id) as session:
        request = await service.open_request(session, entekhab, service.NewRequest(
            kind="inquiry", channel="hotline", summary="which model suits a family of five?",
            customer=CustomerDetails(name="Test Customer", phone="+98 912 000 0002")), actor="staff:test", now=night)
        clocks = await clocks_of(session, request.id)
    assert clocks and all(c.clock == "calendar" for c in clocks)
    assert all(c.due_at == night + timedelta(seconds=c.duration_seconds) for c in clocks)


HOTLINE_CALENDAR = {"country": "DE", "weekend_days": ["sat", "sun"], "business_hours": {"opens": "09:00", "closes": "17:00"},
                    "around_the_clock_channels": ["hotline"]}
CUSTOMER = {"name": "Sara Example", "phone": "+49 30 901820"}


@pytest.mark.parametrize("channel", ["walk_in", "phone", "hotline", "portal", "social", "email", "letter", "fax"])
async def test_complaints_and_requests_take_every_channel_the_seeds_name(client, make_tenant, staff_token, channel):
    agent = await staff_token(await make_tenant("acme", calendar=HOTLINE_CALENDAR), "agent")
    complaint = await client.post("/api/v1/complaints/", headers=agent, json={
        "channel": channel, "subject": "cost", "summary": "charged twice", "customer": CUSTOMER})
    request = await client.post("/api/v1/requests", headers=agent, json={
        "kind": "inquiry", "channel": channel, "summary": "which model suits me?", "customer": CUSTOMER})
    assert (complaint.status_code, request.status_code) == (201, 201), (complaint.text, request.text)
    counts = "around_the_clock" if channel == "hotline" else "office_hours"
    for opened in (complaint.json(), request.json()):
        assert opened["channel"] == channel
    detail = (await client.get(f"/api/v1/requests/{request.json()['id']}", headers=agent)).json()
    assert detail["clocks"] and {c["counts"] for c in detail["clocks"]} == {counts}
    assert {c["counts"] for c in complaint.json()["clocks"]} == {counts}


async def test_an_unknown_channel_is_refused_naming_the_field_and_nothing_is_written(client, make_tenant, staff_token):
    agent = await staff_token(await make_tenant("acme"), "agent")
    for channel in ("pigeon", "hotline\x00", ""):
        r = await client.post("/api/v1/requests", headers=agent, json={
            "kind": "inquiry", "channel": channel, "summary": "hello", "customer": CUSTOMER})
        assert r.status_code in (400, 422) and [e["field"] for e in r.json()["errors"]] == ["channel"], r.text
    assert (await client.get("/api/v1/requests", headers=agent)).json()["items"] == []

"""Mehr's replace-or-refund is judged on the business days the unit spent at the service centre, counted by the
core from the claim's own requests: Iranian holidays and Fridays are not business days, a day the request was on
hold for all its opening hours does not count, and the invoice price is the registration's.

Business days after Sat 4 April 2026 (Fri weekend; Tue 14 April is a holiday, Imam Ja'far al-Sadiq's martyrdom):
the 30th is Sun 10 May. A hold from Sat 18 April 16:00 to Mon 20 April 09:00 takes Sun 19 April whole, so the
unit reaches 29 on 10 May and 30 on Mon 11 May.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from aftersales.calendar import BusinessCalendar
from aftersales.contract.values import BusinessCalendarInfo, ClaimKind, ClaimReport, DefectType
from aftersales.identity.customers import CustomerDetails
from aftersales.service.clocks.escalation import sweep_breaches
from aftersales.service.clocks.in_service import days_in_service, ready_stretches
from aftersales.service.models import RequestEvent
from aftersales.service.requests import replacement
from aftersales.service.requests import services as service
from aftersales.service.states import RequestState
from aftersales.warranty.models import Claim
from aftersales.warranty.registrations import claims as claim_service
from aftersales.warranty.registrations.services import PurchaseDetails, register_purchase
from support.service import tehran
from support.warranty import add_unit, imei

OPENED = tehran("2026-04-04", 10)
HOLD = (tehran("2026-04-18", 16), tehran("2026-04-20", 9))


async def mehr_claim(runtime, mehr, *, hold=True):
    """A registered phone (bought for 250,000,000 rials), its free warranty repair, and the request that took it in
    on 4 April, held over 19 April when ``hold``."""
    await add_unit(runtime, mehr.record, imei(1))
    async with runtime.db.transaction(mehr.record.id) as session:
        registered = await register_purchase(session, mehr, PurchaseDetails(
            serial=imei(1), purchased_on=date(2026, 3, 1), price="250000000", invoice_number="F-1",
            owner=CustomerDetails(name="Test Owner", phone="+98 912 000 0001")), registered_by="staff:test",
            now=tehran("2026-03-01", 12))
        claim, _ = await claim_service.file_claim(session, mehr, registered.registration.id, ClaimReport(
            kind=ClaimKind.WARRANTY_REPAIR, reported_on=date(2026, 4, 4), defect=DefectType.FUNCTIONAL,
            warranty_voucher_shown=True), filed_by="staff:test")
        assert claim.decision == "free_repair"
        request = await service.open_request(session, mehr, service.NewRequest(
            kind="repair", channel="phone", summary="does not charge", registration_id=registered.registration.id,
            claim_id=claim.id), actor="staff:test", now=OPENED)
        if hold:
            held = await service.put_on_hold(session, mehr, request.id, "waiting_for_customer", actor="staff:test",
                                             note="", now=HOLD[0])
            await service.release_hold(session, mehr, request.id, held.id, actor="staff:test", note="", now=HOLD[1])
        return claim.id, request.id


async def offer(runtime, mehr, claim_id, now, **experts):
    async with runtime.db.transaction(mehr.record.id) as session:
        claim = await replacement.offer_replacement(session, mehr, claim_id, claim_service.ReplacementQuestion(
            **experts), now=now)
        return [(o["kind"], o["amount_minor"]) for o in claim.resolution_options]


async def test_replacement_is_due_on_the_30th_business_day_not_the_29th_past_a_holiday_and_a_hold(runtime,
                                                                                                   seed_tenant):
    mehr = await seed_tenant("mehr")
    claim_id, _ = await mehr_claim(runtime, mehr)
    market = {"invoice_price_was_market_price": True}
    assert await offer(runtime, mehr, claim_id, tehran("2026-05-10", 16), **market) == [("repair", None)]
    assert await offer(runtime, mehr, claim_id, tehran("2026-05-11", 8, 30), **market) == [
        ("replacement", None), ("refund", 250_000_000)]


async def test_without_the_hold_the_30th_business_day_is_the_10th_of_may(runtime, seed_tenant):
    mehr = await seed_tenant("mehr")
    claim_id, _ = await mehr_claim(runtime, mehr, hold=False)
    assert await offer(runtime, mehr, claim_id, tehran("2026-05-09", 16)) == [("repair", None)]
    assert await offer(runtime, mehr, claim_id, tehran("2026-05-10", 8, 30)) == [("replacement", None)]


async def test_the_expert_price_path_and_an_early_expert_replacement_are_kept(runtime, seed_tenant):
    mehr = await seed_tenant("mehr")
    claim_id, _ = await mehr_claim(runtime, mehr)
    early = {"replacement_approved_by_expert": True, "invoice_price_was_market_price": False,
             "expert_price": "180000000"}
    assert await offer(runtime, mehr, claim_id, tehran("2026-04-11", 12), **early) == [
        ("replacement", None), ("refund", 180_000_000)]


async def test_the_replacement_clock_breaches_after_30_business_days_not_counting_the_hold(runtime, seed_tenant):
    mehr = await seed_tenant("mehr")
    await mehr_claim(runtime, mehr)
    # The clock stood still for the hold's 11 opening hours (16-17 on the 18th, all the 19th, 8-9 on the 20th):
    # due at 12:00 on Mon 11 May, not 10:00 on Sun 10 May.
    assert await sweep_breaches(runtime, mehr.record.id, tehran("2026-05-11", 11, 59)) == 1  # only `result`
    assert await sweep_breaches(runtime, mehr.record.id, tehran("2026-05-11", 12)) == 1
    async with runtime.db.transaction(mehr.record.id) as session:
        notes = (await session.scalars(select(RequestEvent.note).where(RequestEvent.kind == "sla_breached")
                                       .order_by(RequestEvent.occurred_at))).all()
        stored = (await session.scalar(select(Claim))).resolution_options
    assert "after 30 business days in service the customer is offered: replacement" in notes[1]
    assert [o["kind"] for o in stored] == ["replacement"]


def test_holidays_fridays_and_whole_days_on_hold_are_not_days_in_service():
    calendar = BusinessCalendar(BusinessCalendarInfo(country="IR", weekend_days=(5,), business_hours=("08:00", "17:00")),
                                "Asia/Tehran")
    days = days_in_service(calendar, OPENED, tehran("2026-04-21", 9), [HOLD])
    assert date(2026, 4, 14) not in days and date(2026, 4, 10) not in days  # a holiday, a Friday
    assert {date(2026, 4, 18), date(2026, 4, 20)} <= days and date(2026, 4, 19) not in days
    assert len(days) == 13
    still_held = days_in_service(calendar, OPENED, tehran("2026-04-21", 9), [(HOLD[0], None)])
    assert max(still_held) == date(2026, 4, 18)  # an open hold takes every day after it began


async def test_days_ready_for_collection_do_not_count(runtime, seed_tenant):
    mehr = await seed_tenant("mehr")
    claim_id, request_id = await mehr_claim(runtime, mehr, hold=False)
    async with runtime.db.transaction(mehr.record.id) as session:
        for state, when in (("in_repair", tehran("2026-04-05", 9)), ("ready", tehran("2026-04-11", 16)),
                            ("in_repair", tehran("2026-04-16", 9))):
            await service.move_request(session, mehr, request_id, RequestState(state), actor="staff:test", note="",
                                       now=when)
        moves = (await session.scalars(select(RequestEvent).where(RequestEvent.kind == "moved")
                                       .order_by(RequestEvent.occurred_at))).all()
    assert ready_stretches(moves) == [(tehran("2026-04-11", 16), tehran("2026-04-16", 9))]
    # 12, 13 and 15 April stood ready (14th a holiday): the 30th business day moves from 10 May to 13 May.
    assert await offer(runtime, mehr, claim_id, tehran("2026-05-12", 16)) == [("repair", None)]
    assert await offer(runtime, mehr, claim_id, tehran("2026-05-13", 9)) == [("replacement", None)]

"""Staff sign in at /console/sign-in and operators at /ops/sign-in with a password; the fifth failure in a row
locks the account for 15 minutes (the count is kept even though the sign-in is refused)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from aftersales.accounts.services import create_operator, create_staff
from aftersales.identity.models import Operator, PageSession, StaffUser
from aftersales.identity.services import LOCKOUT, check_operator_password
from support.pages import post_form

PASSWORD = "correct horse battery"


async def _staff(runtime, tenant, email="leila@acme-demo.com") -> None:
    async with runtime.db.transaction(tenant.id) as session:
        await create_staff(session, email=email, name="Leila Karimi", roles=["agent"], password=PASSWORD)


async def test_staff_sign_in_with_their_password_and_land_where_they_were_going(runtime, pages, make_tenant):
    acme = await make_tenant("acme")
    await _staff(runtime, acme)
    form = await pages.get("/t/acme/console/sign-in?next=/t/acme/console/requests")
    assert form.status_code == 200 and 'type="password"' in form.text

    signed_in = await post_form(pages, "/t/acme/console/sign-in", {
        "email": "Leila@Acme-Demo.com", "password": PASSWORD, "next": "/t/acme/console/requests"})
    assert signed_in.status_code == 303
    assert signed_in.headers["location"] == "/t/acme/console/requests"
    assert "HttpOnly" in signed_in.headers["set-cookie"] and "Path=/t/acme" in signed_in.headers["set-cookie"]
    async with runtime.db.session(acme.id) as session:
        (opened,) = list(await session.scalars(select(PageSession)))
    assert (opened.kind, opened.method) == ("staff", "password")


async def test_without_a_next_page_staff_land_on_the_dashboard_and_never_on_another_site(runtime, pages, make_tenant):
    acme = await make_tenant("acme")
    await _staff(runtime, acme)
    signed_in = await post_form(pages, "/t/acme/console/sign-in",
                                {"email": "leila@acme-demo.com", "password": PASSWORD, "next": "//evil.example/"})
    assert signed_in.headers["location"] == "/t/acme/console/"


async def test_empty_fields_show_the_form_again_with_each_reason(runtime, pages, make_tenant):
    await make_tenant("acme")
    refused = await post_form(pages, "/t/acme/console/sign-in", {"email": "", "password": ""})
    assert refused.status_code == 422
    assert "Enter your e-mail address." in refused.text and "Enter your password." in refused.text


async def test_the_fifth_wrong_password_locks_the_account_even_against_the_right_one(runtime, pages, make_tenant):
    acme = await make_tenant("acme")
    await _staff(runtime, acme)
    for _ in range(4):
        wrong = await post_form(pages, "/t/acme/console/sign-in", {"email": "leila@acme-demo.com", "password": "x"})
        assert wrong.status_code == 422 and "Wrong e-mail or password." in wrong.text
    async with runtime.db.session(acme.id) as session:
        assert (await session.scalar(select(StaffUser))).failed_logins == 4  # each refusal was committed
    fifth = await post_form(pages, "/t/acme/console/sign-in", {"email": "leila@acme-demo.com", "password": "x"})
    assert fifth.status_code == 422
    locked = await post_form(pages, "/t/acme/console/sign-in", {"email": "leila@acme-demo.com", "password": PASSWORD})
    assert locked.status_code == 429 and 890 <= int(locked.headers["retry-after"]) <= 900
    assert "This account is locked for 15 minutes." in locked.text
    async with runtime.db.session(acme.id) as session:
        staff = await session.scalar(select(StaffUser))
        assert await session.scalar(select(PageSession)) is None
    assert staff.locked_until is not None


async def test_staff_of_another_company_cannot_sign_in_here(runtime, pages, make_tenant):
    acme, globex = await make_tenant("acme"), await make_tenant("globex")
    await _staff(runtime, acme)
    refused = await post_form(pages, "/t/globex/console/sign-in", {"email": "leila@acme-demo.com",
                                                                  "password": PASSWORD})
    assert refused.status_code == 422 and "Wrong e-mail or password." in refused.text
    async with runtime.db.session(globex.id) as session:
        assert await session.scalar(select(PageSession)) is None


async def test_an_operator_signs_in_on_the_operator_console(runtime, pages):
    async with runtime.db.transaction(None) as session:
        await create_operator(session, email="ops@platform-demo.com", name="Ops", password=PASSWORD)
    assert (await pages.get("/ops/sign-in")).status_code == 200
    signed_in = await post_form(pages, "/ops/sign-in", {"email": "ops@platform-demo.com", "password": PASSWORD})
    assert signed_in.status_code == 303 and signed_in.headers["location"] == "/ops/"
    assert "as_ops=" in signed_in.headers["set-cookie"] and "Path=/ops" in signed_in.headers["set-cookie"]


async def test_the_fifth_wrong_operator_password_locks_the_operator(runtime, pages):
    async with runtime.db.transaction(None) as session:
        await create_operator(session, email="ops@platform-demo.com", name="Ops", password=PASSWORD)
    for _ in range(5):
        wrong = await post_form(pages, "/ops/sign-in", {"email": "ops@platform-demo.com", "password": "nope"})
        assert wrong.status_code == 422
    locked = await post_form(pages, "/ops/sign-in", {"email": "ops@platform-demo.com", "password": PASSWORD})
    assert locked.status_code == 429 and "locked" in locked.text


@pytest.mark.parametrize(("after", "locked"), [(LOCKOUT - timedelta(seconds=1), True), (LOCKOUT, False)])
async def test_an_operator_lock_lasts_fifteen_minutes(runtime, after, locked):
    t0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    async with runtime.db.transaction(None) as session:
        await create_operator(session, email="ops@platform-demo.com", name="Ops", password=PASSWORD)
    for _ in range(5):
        async with runtime.db.transaction(None) as session:
            await check_operator_password(session, email="ops@platform-demo.com", password="nope", now=t0)
    async with runtime.db.transaction(None) as session:
        outcome = await check_operator_password(session, email="ops@platform-demo.com", password=PASSWORD,
                                                now=t0 + after)
        operator = await session.scalar(select(Operator))
    assert (getattr(outcome, "kind", None) != "operator") is locked
    assert operator.failed_logins == 0

"""Customers sign in with a one-time code: sent through the outbox, hashed, ten minutes, five tries, five sends an
hour per address and twenty per client, and no word about who is a customer."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from aftersales.accounts import one_time_codes
from aftersales.accounts.one_time_codes import Contact, Text, check_code, parse_contact, request_code
from aftersales.errors import RateLimited
from aftersales.identity.models import Customer, SignInCode
from aftersales.outbox.models import OutboxMessage
from support.pages import post_form

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
SIGN_IN = "/t/{slug}/sign-in"


async def _customer(runtime, tenant, **fields) -> uuid.UUID:
    async with runtime.db.transaction(tenant.id) as session:
        customer = Customer(name=fields.pop("name", "Sara Ahmadi"), **fields)
        session.add(customer)
        await session.flush()
        return customer.id


async def _messages(runtime, tenant) -> list[OutboxMessage]:
    async with runtime.db.session(tenant.id) as session:
        return list(await session.scalars(select(OutboxMessage).where(OutboxMessage.event == "sign_in.code")
                                          .order_by(OutboxMessage.created_at)))


def _code_in(message: OutboxMessage) -> str:
    return re.search(r"\b(\d{6})\b", message.body).group(1)


async def _ask(pages, slug: str, contact: str, next_path: str | None = None):
    data = {"contact": contact, **({"next": next_path} if next_path else {})}
    return await post_form(pages, SIGN_IN.format(slug=slug), data)


def _attempt(response) -> str:
    return parse_qs(urlsplit(response.headers["location"]).query)["attempt"][0]


async def test_a_customer_signs_in_with_the_code_mailed_to_them_and_lands_where_they_were_going(
        runtime, pages, make_tenant):
    mehr = await make_tenant("mehr")
    await _customer(runtime, mehr, email="sara@example.com")

    form = await pages.get("/t/mehr/sign-in?next=/t/mehr/check")
    assert form.status_code == 200
    assert 'name="next" value="/t/mehr/check"' in form.text
    asked = await _ask(pages, "mehr", "  Sara@Example.com ", "/t/mehr/check")
    assert asked.status_code == 303
    assert asked.headers["location"].startswith("/t/mehr/sign-in/code?attempt=")

    (message,) = await _messages(runtime, mehr)
    assert (message.channel, message.recipient) == ("email", "sara@example.com")
    assert message.subject == "Your sign-in code for Mehr"
    assert "valid for 10 minutes" in message.body
    code = _code_in(message)
    async with runtime.db.session(mehr.id) as session:
        stored = await session.scalar(select(SignInCode))
    assert code not in stored.code_hash and len(stored.code_hash) == 64  # only a keyed hash is kept

    page = await pages.get(asked.headers["location"])
    assert page.status_code == 200 and 'name="code"' in page.text
    signed_in = await post_form(pages, "/t/mehr/sign-in/code",
                                {"attempt": _attempt(asked), "code": code, "next": "/t/mehr/check"})
    assert signed_in.status_code == 303
    assert signed_in.headers["location"] == "/t/mehr/check"
    cookie = signed_in.headers["set-cookie"]
    assert "as_session=" in cookie and "HttpOnly" in cookie and "Secure" in cookie and "Path=/t/mehr" in cookie
    home = await pages.get("/t/mehr/")
    assert "Sign out" in home.text


async def test_without_a_next_page_the_customer_lands_on_their_devices(runtime, pages, make_tenant):
    mehr = await make_tenant("mehr")
    await _customer(runtime, mehr, email="sara@example.com")
    asked = await _ask(pages, "mehr", "sara@example.com")
    (message,) = await _messages(runtime, mehr)
    signed_in = await post_form(pages, "/t/mehr/sign-in/code", {"attempt": _attempt(asked), "code": _code_in(message)})
    assert signed_in.headers["location"] == "/t/mehr/my/devices"


@pytest.mark.parametrize("target", ["//evil.example/steal", "https://evil.example/", "/\\evil.example"])
async def test_a_next_page_on_another_site_is_refused(runtime, pages, make_tenant, target):
    mehr = await make_tenant("mehr")
    await _customer(runtime, mehr, email="sara@example.com")
    asked = await _ask(pages, "mehr", "sara@example.com", target)
    (message,) = await _messages(runtime, mehr)
    signed_in = await post_form(pages, "/t/mehr/sign-in/code",
                                {"attempt": _attempt(asked), "code": _code_in(message), "next": target})
    assert signed_in.headers["location"] == "/t/mehr/my/devices"


async def test_a_mobile_number_typed_the_local_way_gets_the_code_by_sms_in_the_customers_language(
        runtime, pages, make_tenant):
    mehr = await make_tenant("mehr", locales=["fa", "en"], default_locale="fa",
                             calendar={"country": "IR", "weekend_days": ["fri"],
                                       "business_hours": {"opens": "09:00", "closes": "17:00"}},
                             time_zone="Asia/Tehran", currency="IRR")
    await _customer(runtime, mehr, phone="+989121234567", locale="fa")

    asked = await _ask(pages, "mehr", "۰۹۱۲ ۱۲۳ ۴۵۶۷")  # Persian digits, as a phone keyboard types them
    assert asked.status_code == 303
    (message,) = await _messages(runtime, mehr)
    assert (message.channel, message.recipient) == ("sms", "+989121234567")
    assert "کد" in message.body and "۱۰" in message.body  # Persian text, ten minutes in Persian digits
    code = _code_in(message)
    persian_code = code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    signed_in = await post_form(pages, "/t/mehr/sign-in/code", {"attempt": _attempt(asked), "code": persian_code})
    assert signed_in.status_code == 303


async def test_an_unknown_address_is_answered_like_a_customers_and_nothing_is_sent(runtime, pages, make_tenant):
    mehr = await make_tenant("mehr")
    await _customer(runtime, mehr, email="sara@example.com")

    known = await _ask(pages, "mehr", "sara@example.com")
    unknown = await _ask(pages, "mehr", "nobody@example.com")
    assert (known.status_code, unknown.status_code) == (303, 303)
    known_page, unknown_page = await pages.get(known.headers["location"]), await pages.get(unknown.headers["location"])
    assert known_page.text.replace(_attempt(known), "") == unknown_page.text.replace(_attempt(unknown), "")
    assert [m.recipient for m in await _messages(runtime, mehr)] == ["sara@example.com"]
    async with runtime.db.session(mehr.id) as session:
        assert await session.scalar(select(Customer).where(Customer.email == "nobody@example.com")) is None
    for guess in ("000000", "123456", "999999"):
        refused = await post_form(pages, "/t/mehr/sign-in/code", {"attempt": _attempt(unknown), "code": guess})
        assert refused.status_code == 422
        assert "That code is not right" in refused.text


@pytest.mark.parametrize(("contact", "reason"), [
    ("", "Enter your e-mail address or mobile number."),
    ("sara@", "This is not a valid e-mail address."),
    ("12", "This is not a valid mobile number."),
    ("s" * 250 + "@example.com", "This is too long for an e-mail address or mobile number."),
])
async def test_bad_contact_shows_the_form_again_with_the_reason_and_writes_nothing(
        runtime, pages, make_tenant, contact, reason):
    mehr = await make_tenant("mehr")
    refused = await _ask(pages, "mehr", contact)
    assert refused.status_code == 422
    assert reason in refused.text and 'aria-invalid="true"' in refused.text
    async with runtime.db.session(mehr.id) as session:
        assert await session.scalar(select(SignInCode)) is None


async def test_the_fifth_wrong_code_ends_it_and_the_right_code_no_longer_works(runtime, pages, make_tenant):
    mehr = await make_tenant("mehr")
    await _customer(runtime, mehr, email="sara@example.com")
    asked = await _ask(pages, "mehr", "sara@example.com")
    (message,) = await _messages(runtime, mehr)
    code = _code_in(message)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"

    for left in (4, 3, 2):
        refused = await post_form(pages, "/t/mehr/sign-in/code", {"attempt": _attempt(asked), "code": wrong})
        assert refused.status_code == 422
        assert f"You can try {left} more times." in refused.text
    fourth = await post_form(pages, "/t/mehr/sign-in/code", {"attempt": _attempt(asked), "code": wrong})
    assert "You can try once more." in fourth.text
    fifth = await post_form(pages, "/t/mehr/sign-in/code", {"attempt": _attempt(asked), "code": wrong})
    assert fifth.status_code == 422 and "it no longer works" in fifth.text
    too_late = await post_form(pages, "/t/mehr/sign-in/code", {"attempt": _attempt(asked), "code": code})
    assert too_late.status_code == 422 and "expired or was already used" in too_late.text
    assert "as_session" not in pages.cookies


async def test_a_code_works_once(runtime, pages, make_tenant):
    mehr = await make_tenant("mehr")
    await _customer(runtime, mehr, email="sara@example.com")
    asked = await _ask(pages, "mehr", "sara@example.com")
    (message,) = await _messages(runtime, mehr)
    data = {"attempt": _attempt(asked), "code": _code_in(message)}
    assert (await post_form(pages, "/t/mehr/sign-in/code", data)).status_code == 303
    again = await post_form(pages, "/t/mehr/sign-in/code", data)
    assert again.status_code == 422 and "expired or was already used" in again.text


async def test_five_codes_an_hour_reach_one_address_and_the_sixth_is_refused(runtime, pages, make_tenant):
    mehr = await make_tenant("mehr")
    await _customer(runtime, mehr, email="sara@example.com")
    for _ in range(one_time_codes.SENDS_PER_ADDRESS):
        assert (await _ask(pages, "mehr", "sara@example.com")).status_code == 303
    refused = await _ask(pages, "mehr", "SARA@example.com")
    assert refused.status_code == 429
    assert "Too many codes were asked for. Try again in 60 minutes." in refused.text
    assert int(refused.headers["retry-after"]) <= 3600
    assert len(await _messages(runtime, mehr)) == 5
    assert (await _ask(pages, "mehr", "other@example.com")).status_code == 303  # another address is not limited


async def test_twenty_codes_an_hour_from_one_client_and_the_twenty_first_is_refused(runtime, pages, make_tenant):
    await make_tenant("mehr")
    for n in range(one_time_codes.SENDS_PER_CLIENT):
        assert (await _ask(pages, "mehr", f"guess{n}@example.com")).status_code == 303
    assert (await _ask(pages, "mehr", "guess-last@example.com")).status_code == 429


async def test_the_send_limits_reopen_when_the_oldest_code_leaves_the_hour(runtime, make_tenant):
    mehr = await make_tenant("mehr")
    contact = Contact("email", "sara@example.com")

    async def ask(now):
        async with runtime.db.transaction(mehr.id) as session:
            return await request_code(session, code_key=runtime.code_key, contact=contact, client_address="10.0.0.1",
                                      compose=lambda customer, code: Text("", code), now=now)

    for minute in range(5):
        await ask(T0 + timedelta(minutes=minute))
    with pytest.raises(RateLimited) as refused:
        await ask(T0 + timedelta(minutes=59))
    assert refused.value.retry_after == 60
    await ask(T0 + timedelta(minutes=60, seconds=1))


@pytest.mark.parametrize(("after", "works"), [(timedelta(minutes=9, seconds=59), True),
                                              (timedelta(minutes=10), False),
                                              (timedelta(minutes=10, seconds=1), False)])
async def test_a_code_is_valid_for_ten_minutes(runtime, make_tenant, after, works):
    mehr = await make_tenant("mehr")
    await _customer(runtime, mehr, email="sara@example.com")
    sent: list[str] = []

    def compose(customer, code):
        sent.append(code)
        return Text("code", code)

    async with runtime.db.transaction(mehr.id) as session:
        code_id = await request_code(session, code_key=runtime.code_key, contact=Contact("email", "sara@example.com"),
                                     client_address="10.0.0.1", compose=compose, now=T0)
    async with runtime.db.transaction(mehr.id) as session:
        check = await check_code(session, code_key=runtime.code_key, code_id=code_id, code=sent[0], now=T0 + after)
    assert (check.customer_id is not None) is works
    assert check.refusal == (None if works else "expired")


async def test_another_tenants_code_signs_no_one_in_here(runtime, pages, make_tenant):
    mehr, entekhab = await make_tenant("mehr"), await make_tenant("entekhab", vertical="appliances")
    await _customer(runtime, mehr, email="sara@example.com")
    await _customer(runtime, entekhab, email="sara@example.com")
    asked = await _ask(pages, "mehr", "sara@example.com")
    (message,) = await _messages(runtime, mehr)

    crossed = await post_form(pages, "/t/entekhab/sign-in/code", {"attempt": _attempt(asked),
                                                                 "code": _code_in(message)})
    assert crossed.status_code == 422 and "expired or was already used" in crossed.text
    assert "as_session" not in pages.cookies
    assert await _messages(runtime, entekhab) == []


def test_contacts_are_read_as_customers_are_stored():
    assert parse_contact(" Sara@Example.COM ", "IR") == Contact("email", "sara@example.com")
    assert parse_contact("0912 123 4567", "IR") == Contact("sms", "+989121234567")
    assert parse_contact("+995 599 12 34 56", "IR") == Contact("sms", "+995599123456")

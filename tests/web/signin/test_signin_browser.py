"""Signing in in a real browser: a customer with a code read from a real SMTP server (English and Persian), and a
staff member with a password."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import replace
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from aftersales.accounts.services import create_staff
from aftersales.db.base import utcnow
from aftersales.outbox.delivery import deliver_due
from aftersales.runtime import build_runtime
from aftersales.tenancy.models import Tenant
from aftersales.testing.network import free_port

pytestmark = [pytest.mark.browser]

CUSTOMER = "customer@mehr-demo.com"


class Inbox:
    """An aiosmtpd handler that keeps every e-mail it accepts."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, str]]:
    """A real SMTP server on a free loopback port: its inbox and ``smtp://`` URL."""
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, f"smtp://127.0.0.1:{port}"
    controller.stop()


async def _deliver_mail(live_server: Any, smtp_url: str, inbox: Inbox, slug: str, recipient: str) -> EmailMessage:
    """Run the outbox delivery once (as the worker would) against the live server's database until the e-mail to
    ``recipient`` has reached the SMTP server; the live server itself runs no worker."""
    runtime = build_runtime(replace(live_server.settings, smtp_url=smtp_url), plugins=live_server.plugins)
    try:
        async with runtime.db.platform_session() as session:
            tenant_id = await session.scalar(select(Tenant.id).where(Tenant.slug == slug))
        while not _codes_to(inbox, recipient):  # the demo's own notices to the customer may come first
            assert await deliver_due(runtime, tenant_id, utcnow()) > 0, f"no code e-mail for {recipient} in the outbox"
    finally:
        await runtime.close()
    return _codes_to(inbox, recipient)[-1]


def _codes_to(inbox: Inbox, recipient: str) -> list[EmailMessage]:
    """The e-mails to ``recipient`` that carry a six-digit sign-in code."""
    return [m for m in inbox.messages if m["To"] == recipient and re.search(r"\b[0-9]{6}\b", m.get_content())]


@pytest.mark.parametrize("lang", ["en", "fa"])
async def test_a_customer_signs_in_with_a_code_from_their_mail(open_phone, live_server, smtp, screenshot, lang):
    inbox, smtp_url = smtp
    page = await open_phone(lang=lang)
    await page.goto("/t/mehr/my/devices")  # a page that needs a sign-in sends the customer to sign in first
    await page.wait_for_url("**/t/mehr/sign-in?next=%2Ft%2Fmehr%2Fmy%2Fdevices")
    assert await page.locator("html").get_attribute("dir") == ("rtl" if lang == "fa" else "ltr")
    await page.fill("#contact", CUSTOMER)
    await page.locator("form button[type=submit]").click()
    await page.wait_for_url("**/t/mehr/sign-in/code?**")

    mail = await _deliver_mail(live_server, smtp_url, inbox, "mehr", CUSTOMER)
    code = re.search(r"\b([0-9]{6})\b", mail.get_content()).group(1)
    await page.fill("#code", code)
    await screenshot(page, f"signin-code-{lang}")
    await page.locator("form button[type=submit]").click()
    await page.wait_for_url("**/t/mehr/my/devices")  # and back to the page first asked for
    assert live_server.serials["mehr"][0] in await page.content()
    sign_out = page.locator("nav.account form button[type=submit]")
    await sign_out.wait_for()
    assert await sign_out.inner_text() == ("Sign out" if lang == "en" else "خروج")
    assert "as_session" in {c["name"] for c in await page.context.cookies()}


async def test_a_staff_member_signs_in_with_a_password(open_phone, live_server, screenshot):
    email, password = f"signin-{os.urandom(3).hex()}@mehr-demo.com", os.urandom(12).hex()
    runtime = build_runtime(live_server.settings, plugins=live_server.plugins)
    try:
        async with runtime.db.platform_session() as session:
            tenant_id = await session.scalar(select(Tenant.id).where(Tenant.slug == "mehr"))
        async with runtime.db.transaction(tenant_id) as session:
            await create_staff(session, email=email, name="Browser Agent", roles=["agent"], password=password)
    finally:
        await runtime.close()

    page = await open_phone(lang="en")
    await page.goto("/t/mehr/console/sign-in?next=/t/mehr/console/sign-in")
    await page.fill("#email", email)
    await page.fill("#password", password)
    await screenshot(page, "console-signin-en")
    await page.locator("main form button[type=submit]").click()
    await page.locator("nav.console-nav").wait_for()  # the console's navigation shows only to signed-in staff
    assert await page.locator("header form.account button").inner_text() == "Sign out"

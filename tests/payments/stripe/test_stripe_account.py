"""The Stripe account endpoint: admins set keys, which are stored encrypted and never shown again."""

from __future__ import annotations

from sqlalchemy import select

from aftersales.payments.stripe.models import StripeAccount
from support.stripe import PUBLISHABLE_KEY, SECRET_KEY

URL = "/api/v1/payments/stripe/account/"
GOOD = {"secret_key": SECRET_KEY, "webhook_secret": "whsec_abcdefghijklmnop1234",
        "publishable_key": PUBLISHABLE_KEY, "connect_mode": "destination"}


async def test_admin_sets_keys_and_sees_only_their_last_four_and_the_mode(client, runtime, make_tenant, staff_token):
    tenant = await make_tenant("acme")
    admin = await staff_token(tenant, "admin")

    answer = await client.put(URL, json=GOOD, headers=admin)

    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["configured"] is True and body["mode"] == "test" and body["connect_mode"] == "destination"
    assert body["secret_key_last4"] == "p7dc" and body["webhook_secret_last4"] == "1234"
    assert body["webhook_path"] == f"/api/v1/payments/stripe/webhook/{tenant.id}"
    shown = (await client.get(URL, headers=admin)).text
    for secret in (SECRET_KEY, GOOD["webhook_secret"]):
        assert secret not in answer.text and secret not in shown
    async with runtime.db.transaction(tenant.id) as s:
        stored = await s.scalar(select(StripeAccount))
    assert SECRET_KEY not in stored.secret_key_encrypted and "whsec_" not in stored.webhook_secret_encrypted


async def test_replacing_with_live_keys_switches_the_mode(client, make_tenant, staff_token):
    tenant = await make_tenant("acme")
    admin = await staff_token(tenant, "admin")
    await client.put(URL, json=GOOD, headers=admin)

    live = {**GOOD, "secret_key": "sk_live_0000000000000000wxyz", "publishable_key": "pk_live_000000000000000000"}
    body = (await client.put(URL, json=live, headers=admin)).json()

    assert (body["mode"], body["secret_key_last4"]) == ("live", "wxyz")


async def test_bad_keys_are_listed_together_and_nothing_is_stored(client, make_tenant, staff_token):
    tenant = await make_tenant("acme")
    admin = await staff_token(tenant, "admin")

    answer = await client.put(URL, json={"secret_key": "pk_test_oops", "webhook_secret": "secret",
                                         "publishable_key": "sk_test_x", "connect_mode": "off"}, headers=admin)

    assert answer.status_code == 422
    assert {e["field"] for e in answer.json()["errors"]} == {"secret_key", "publishable_key", "webhook_secret"}
    assert (await client.get(URL, headers=admin)).json()["configured"] is False


async def test_test_publishable_key_with_a_live_secret_key_is_refused(client, make_tenant, staff_token):
    tenant = await make_tenant("acme")
    admin = await staff_token(tenant, "admin")

    answer = await client.put(URL, json={**GOOD, "secret_key": "sk_live_abcdefgh"}, headers=admin)

    assert answer.status_code == 422
    assert answer.json()["errors"] == [{"field": "publishable_key",
                                        "reason": "is a test key but the secret key is a live key"}]


async def test_finance_staff_cannot_see_or_set_the_keys(client, make_tenant, staff_token):
    tenant = await make_tenant("acme")
    finance = await staff_token(tenant, "finance")

    assert (await client.get(URL, headers=finance)).status_code == 403
    assert (await client.put(URL, json=GOOD, headers=finance)).status_code == 403


async def test_one_tenants_admin_can_neither_see_nor_set_anothers_keys(client, make_tenant, staff_token):
    a, b = await make_tenant("acme"), await make_tenant("bolt")
    admin_a, admin_b = await staff_token(a, "admin"), await staff_token(b, "admin")
    await client.put(URL, json=GOOD, headers=admin_a)

    assert (await client.get(URL, headers=admin_b)).json()["configured"] is False
    await client.put(URL, json={**GOOD, "secret_key": "sk_test_bbbbbbbbbbbbBBBB", "connect_mode": "off"},
                     headers=admin_b)

    mine = (await client.get(URL, headers=admin_a)).json()
    assert (mine["secret_key_last4"], mine["connect_mode"]) == ("p7dc", "destination")

"""The public authenticity check: verdicts, codes, no personal data, rate limits at their edges, clone flags,
and tenant isolation."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import func, select

from aftersales.app import create_app
from aftersales.db.base import utcnow
from aftersales.identity.rate_limits import RateCounter
from aftersales.warranty.authenticity import client_key
from aftersales.warranty.models import Serial, SerialCheck
from support.warranty import SELLER, add_unit, imei

IMEI = "490154203237518"
PERSIAN_IMEI = "۴۹۰۱۵۴۲۰۳۲۳۷۵۱۸"
TEST_CLIENT = "127.0.0.1"  # httpx.ASGITransport's default client address


async def check(client, slug, serial, **codes):
    return await client.post(f"/public/t/{slug}/warranty/check", json={"serial": serial, **codes})


async def add_checks(runtime, tenant, *, serial, client_keys, ago):
    async with runtime.db.transaction(tenant.id) as s:
        for key, age in zip(client_keys, ago, strict=True):
            s.add(SerialCheck(serial=serial, client_key=key, outcome="genuine", checked_at=utcnow() - age))


async def add_hits(runtime, tenant, bucket, key, *, hits, ago):
    async with runtime.db.transaction(tenant.id) as s:
        s.add(RateCounter(bucket=bucket, client_key=key, window_start=utcnow() - ago, hits=hits))


async def count_checks(runtime, tenant):
    async with runtime.db.transaction(tenant.id) as s:
        return await s.scalar(select(func.count()).select_from(SerialCheck))


def client_at(runtime, address):
    transport = httpx.ASGITransport(app=create_app(runtime), client=(address, 4321))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver.local")


# --- verdicts -------------------------------------------------------------------------------------------------


async def test_a_serial_on_the_register_is_genuine_with_its_model_and_no_coverage_yet(client, runtime, make_tenant):
    mehr = await make_tenant("mehr")
    await add_unit(runtime, mehr, IMEI)
    response = await check(client, "mehr", IMEI)
    assert response.status_code == 200
    assert response.json() == {
        "verdict": "genuine", "serial": IMEI, "reason": "this serial is on the company's register",
        "model": {"sku": "PH-1", "name": "Phone One"}, "status": "in_stock",
        "coverage": {"status": "not_registered", "warranty_end": None, "parts_support_end": None},
    }


async def test_a_valid_serial_not_on_the_register_is_unknown(client, make_tenant):
    await make_tenant("mehr")
    body = (await check(client, "mehr", IMEI)).json()
    assert body["verdict"] == "unknown" and body["model"] is None and body["coverage"] is None
    assert "register" in body["reason"]


async def test_a_malformed_serial_is_unknown_with_the_reason_not_an_error(client, make_tenant):
    await make_tenant("mehr")
    response = await check(client, "mehr", "490154203237519")  # wrong check digit
    assert response.status_code == 200
    body = response.json()
    assert body["verdict"] == "unknown" and body["reason"].startswith("this is not a valid serial")


async def test_a_blocked_unit_is_blocked(client, runtime, make_tenant):
    mehr = await make_tenant("mehr")
    await add_unit(runtime, mehr, IMEI, status="blocked")
    body = (await check(client, "mehr", IMEI)).json()
    assert body["verdict"] == "blocked" and body["status"] == "blocked"


async def test_a_recalled_unit_is_recalled(client, runtime, make_tenant):
    mehr = await make_tenant("mehr")
    await add_unit(runtime, mehr, IMEI, status="recalled")
    body = (await check(client, "mehr", IMEI)).json()
    assert body["verdict"] == "recalled" and body["model"]["sku"] == "PH-1"


async def test_matching_card_and_hologram_codes_are_genuine_even_typed_in_persian_digits(client, runtime,
                                                                                         make_tenant):
    mehr = await make_tenant("mehr")
    await add_unit(runtime, mehr, IMEI, card="CARD-1234", hologram="HG 5678")
    body = (await check(client, "mehr", IMEI, card_code="card-۱۲۳۴", hologram_code="hg5678")).json()
    assert body["verdict"] == "genuine"


async def test_a_wrong_hologram_means_the_card_is_not_genuine(client, runtime, make_tenant):
    mehr = await make_tenant("mehr")
    await add_unit(runtime, mehr, IMEI, card="CARD-1234", hologram="HG5678")
    body = (await check(client, "mehr", IMEI, card_code="CARD-1234", hologram_code="HG5679")).json()
    assert body["verdict"] == "card_not_genuine" and "hologram code" in body["reason"]
    assert "card code" not in body["reason"]


async def test_a_code_given_for_a_unit_without_one_on_record_is_not_a_genuine_card(client, runtime, make_tenant):
    shop = await make_tenant("shop", vertical="electronics", settings={"electronics": {"hologram_required": False}})
    await add_unit(runtime, shop, IMEI, card="CARD-1234")
    body = (await check(client, "shop", IMEI, card_code="CARD-1234", hologram_code="HG5678")).json()
    assert body["verdict"] == "card_not_genuine" and body["reason"] == "the hologram code does not match this serial"


async def test_mehr_card_code_without_the_hologram_is_not_a_genuine_mehr_card(client, runtime, make_tenant):
    mehr = await make_tenant("mehr", vertical="electronics")
    await add_unit(runtime, mehr, IMEI, card="CARD-1234", hologram="HG5678")
    body = (await check(client, "mehr", IMEI, card_code="CARD-1234")).json()
    assert body["verdict"] == "card_not_genuine" and "hologram" in body["reason"]
    assert (await check(client, "mehr", IMEI, card_code="CARD-1234", hologram_code="HG5678")).json()[
        "verdict"] == "genuine"


async def test_mehr_unit_registered_without_a_hologram_has_no_genuine_card(client, runtime, make_tenant):
    mehr = await make_tenant("mehr", vertical="electronics")
    await add_unit(runtime, mehr, IMEI, card="CARD-1234")
    body = (await check(client, "mehr", IMEI, card_code="CARD-1234", hologram_code="HG5678")).json()
    assert body["verdict"] == "card_not_genuine" and "without a hologram" in body["reason"]


async def test_a_tenant_without_the_hologram_rule_accepts_the_card_code_alone(client, runtime, make_tenant):
    laser = await make_tenant("laser", vertical="electronics", settings={"electronics": {"hologram_required": False}})
    await add_unit(runtime, laser, IMEI, card="CARD-1234")
    assert (await check(client, "laser", IMEI, card_code="CARD-1234")).json()["verdict"] == "genuine"


async def test_persian_digits_in_an_imei_find_the_unit(client, runtime, make_tenant):
    mehr = await make_tenant("mehr", vertical="electronics")
    await add_unit(runtime, mehr, IMEI)
    body = (await check(client, "mehr", PERSIAN_IMEI)).json()
    assert body["verdict"] == "genuine" and body["serial"] == IMEI


async def test_an_appliance_serial_is_judged_by_its_own_models_format(client, runtime, make_tenant):
    home = await make_tenant("home", vertical="appliances",
                             settings={"appliances": {"serial_patterns": {"WM": r"^WM-\d{6}$"}}})
    await add_unit(runtime, home, "WM-123456", sku="WM-7KG")
    body = (await check(client, "home", "wm-۱۲۳۴۵۶")).json()
    assert body["verdict"] == "genuine" and body["serial"] == "WM-123456"


async def test_the_answer_contains_no_seller_or_other_personal_data(client, runtime, make_tenant):
    mehr = await make_tenant("mehr")
    await add_unit(runtime, mehr, IMEI, status="registered", card="CARD-1234")
    response = await check(client, "mehr", IMEI, card_code="CARD-1234")
    assert SELLER not in response.text and "seller" not in response.text
    assert set(response.json()) == {"verdict", "serial", "reason", "model", "status", "coverage"}


async def test_the_check_by_host_answers_for_the_hosts_tenant(client, runtime, make_tenant):
    mehr = await make_tenant("mehr")
    await add_unit(runtime, mehr, IMEI)
    response = await client.post("/public/warranty/check", json={"serial": IMEI},
                                 headers={"Host": "mehr.aftersales.test"})
    assert response.status_code == 200 and response.json()["verdict"] == "genuine"


async def test_checks_at_an_unknown_tenant_are_404_and_a_bad_body_is_400(client, make_tenant):
    await make_tenant("mehr")
    assert (await check(client, "ghost", IMEI)).status_code == 404
    assert (await client.post("/public/t/mehr/warranty/check", json={"imei": IMEI})).status_code == 400


# --- the check log and rate limits ------------------------------------------------------------------------------


async def test_every_check_is_recorded_under_a_keyed_client_hash_never_the_address(client, runtime, make_tenant):
    mehr = await make_tenant("mehr")
    await add_unit(runtime, mehr, IMEI)
    await check(client, "mehr", IMEI)
    await check(client, "mehr", "not a serial")
    async with runtime.db.transaction(mehr.id) as s:
        rows = (await s.scalars(select(SerialCheck).order_by(SerialCheck.checked_at))).all()
    assert [r.outcome for r in rows] == ["genuine", "unknown"]
    assert {r.client_key for r in rows} == {client_key(runtime.code_key, TEST_CLIENT)}
    assert all(TEST_CLIENT not in r.client_key for r in rows)


async def test_the_20th_check_in_a_minute_passes_and_the_21st_is_429_with_retry_after(client, runtime, make_tenant):
    mehr = await make_tenant("mehr")
    await add_unit(runtime, mehr, IMEI)
    for n in range(1, 21):
        response = await check(client, "mehr", IMEI)
        assert response.status_code == 200, n
    refused = await check(client, "mehr", IMEI)
    assert refused.status_code == 429
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert await count_checks(runtime, mehr) == 20  # the refused check is not recorded
    async with client_at(runtime, "10.0.0.2") as other:
        assert (await check(other, "mehr", IMEI)).status_code == 200  # the limit is per client


async def test_the_200th_check_in_a_day_passes_and_the_201st_is_429(client, runtime, make_tenant):
    mehr = await make_tenant("mehr")
    me = client_key(runtime.code_key, TEST_CLIENT)
    await add_hits(runtime, mehr, "check:day", me, hits=199, ago=timedelta(hours=1))
    assert (await check(client, "mehr", IMEI)).status_code == 200
    refused = await check(client, "mehr", IMEI)
    assert refused.status_code == 429
    assert 22 * 3600 < int(refused.headers["Retry-After"]) <= 23 * 3600


async def test_a_days_window_that_has_ended_starts_again(client, runtime, make_tenant):
    mehr = await make_tenant("mehr")
    me = client_key(runtime.code_key, TEST_CLIENT)
    await add_hits(runtime, mehr, "check:day", me, hits=200, ago=timedelta(hours=24, seconds=1))
    assert (await check(client, "mehr", IMEI)).status_code == 200


async def test_checks_of_another_tenant_do_not_count_against_the_limit(client, runtime, make_tenant):
    await make_tenant("mehr")
    other = await make_tenant("other")
    me = client_key(runtime.code_key, TEST_CLIENT)
    await add_hits(runtime, other, "check:minute", me, hits=20, ago=timedelta(seconds=1))
    assert (await check(client, "other", IMEI)).status_code == 429
    assert (await check(client, "mehr", IMEI)).status_code == 200


# --- suspected clones -------------------------------------------------------------------------------------------


async def test_a_serial_checked_from_11_clients_in_a_day_is_a_suspected_clone_and_from_10_is_not(
    client, runtime, make_tenant, staff_token
):
    mehr = await make_tenant("mehr")
    await add_unit(runtime, mehr, IMEI)
    others = [f"{n:064x}" for n in range(10)]
    # Nine recent clients, plus one whose check is older than 24 h and so does not count.
    await add_checks(runtime, mehr, serial=IMEI, client_keys=others,
                     ago=[timedelta(hours=1)] * 9 + [timedelta(hours=24, minutes=1)])
    agent = await staff_token(mehr, "agent")

    await check(client, "mehr", IMEI)  # the 10th distinct client
    assert (await client.get("/api/v1/serials/suspected-clones", headers=agent)).json()["items"] == []

    async with client_at(runtime, "10.0.0.2") as eleventh:
        assert (await check(eleventh, "mehr", IMEI)).json()["verdict"] == "genuine"
    clones = (await client.get("/api/v1/serials/suspected-clones", headers=agent)).json()["items"]
    assert [(c["serial"], c["model_sku"], c["reason"]) for c in clones] == [
        (IMEI, "PH-1", "checked from 11 different clients in 24 h")
    ]
    async with runtime.db.transaction(mehr.id) as s:
        assert (await s.scalar(select(Serial))).clone_suspected_at is not None


async def test_suspected_clones_are_paged_newest_first_without_gaps_or_repeats(client, runtime, make_tenant,
                                                                                staff_token):
    mehr = await make_tenant("mehr")
    for n in range(5):
        await add_unit(runtime, mehr, imei(n))
    flagged_at = utcnow()
    async with runtime.db.transaction(mehr.id) as s:
        for n, unit in enumerate((await s.scalars(select(Serial).order_by(Serial.serial))).all()):
            # Units 1 and 2 were flagged at the same instant: the serial breaks the tie across the page edge.
            unit.clone_suspected_at = flagged_at - timedelta(hours=min(n, 1) if n < 3 else n)
            unit.clone_reason = "checked from 11 different clients in 24 h"
    agent = await staff_token(mehr, "agent")
    seen, cursor = [], None
    for _ in range(4):
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = (await client.get("/api/v1/serials/suspected-clones", headers=agent, params=params)).json()
        seen.append([c["serial"] for c in page["items"]])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [[imei(0), imei(1)], [imei(2), imei(3)], [imei(4)]]


async def test_a_forged_cursor_or_page_size_is_a_clear_error(client, make_tenant, staff_token):
    agent = await staff_token(await make_tenant("mehr"), "agent")
    for params, field in (({"cursor": "bm90LWEtY3Vyc29y"}, "cursor"), ({"limit": 0}, "limit"),
                          ({"limit": 201}, "limit")):
        response = await client.get("/api/v1/serials/suspected-clones", headers=agent, params=params)
        assert response.status_code == 422, params
        assert [e["field"] for e in response.json()["errors"]] == [field]


# --- tenants ----------------------------------------------------------------------------------------------------


async def test_tenant_as_serial_is_unknown_on_tenant_bs_public_endpoint(client, runtime, make_tenant):
    alpha = await make_tenant("alpha")
    await make_tenant("bravo")
    await add_unit(runtime, alpha, IMEI)
    assert (await check(client, "alpha", IMEI)).json()["verdict"] == "genuine"
    assert (await check(client, "bravo", IMEI)).json()["verdict"] == "unknown"


async def test_tenant_as_staff_cannot_see_bs_suspected_clones(client, runtime, make_tenant, staff_token):
    alpha = await make_tenant("alpha")
    bravo = await make_tenant("bravo")
    await add_unit(runtime, bravo, IMEI)
    async with runtime.db.transaction(bravo.id) as s:
        unit = await s.scalar(select(Serial))
        unit.clone_suspected_at, unit.clone_reason = utcnow(), "checked from 11 different clients in 24 h"
    assert (await client.get("/api/v1/serials/suspected-clones",
                             headers=await staff_token(alpha, "admin"))).json()["items"] == []
    assert len((await client.get("/api/v1/serials/suspected-clones",
                                 headers=await staff_token(bravo, "agent"))).json()["items"]) == 1


async def test_suspected_clones_need_serials_read(client, make_tenant, staff_token):
    alpha = await make_tenant("alpha")
    response = await client.get("/api/v1/serials/suspected-clones", headers=await staff_token(alpha, "finance"))
    assert response.status_code == 403

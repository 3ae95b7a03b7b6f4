"""Recall campaigns: drafts preview their reach, a selection by model, batch or serial range reaches exactly
its units, a launch recalls them and notifies the registered owners once, and a failed launch leaves nothing."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import create_async_engine

from aftersales.warranty.recalls.models import RecallUnit
from support.recalls import DEFECT, add_units, campaign, draft, launched, outbox, register, statuses
from support.warranty import imei

SN_TENANT = {"settings": {"electronics": {"serial_scheme": "pattern", "serial_pattern": "^SN[-0-9]{3,5}$"}}}


async def test_a_draft_previews_its_reach_and_changes_nothing(client, runtime, make_tenant, staff_token):
    mehr = await make_tenant("mehr")
    await add_units(runtime, mehr, [imei(n) for n in range(4)])
    await add_units(runtime, mehr, [imei(4)], status="blocked")
    admin = await staff_token(mehr, "admin")
    await register(client, admin, imei(0), email="sara@example.com")
    await register(client, admin, imei(1), email="sara@example.com")
    await register(client, admin, imei(2), phone="+49 30 901820")
    created = await draft(client, admin, model_sku="PH-1")
    assert created["status"] == "draft" and created["progress"] is None
    assert created["preview"] == {"units": 4, "registered": 3, "owners": 2, "skipped": 1}
    assert created["selection"] == {"model_sku": "PH-1", "batch": None, "serial_from": None, "serial_to": None}
    assert set((await statuses(runtime, mehr)).values()) == {"registered", "in_stock", "blocked"}
    assert await outbox(runtime, mehr) == []


async def test_model_and_batch_select_together_only_units_matching_both(client, runtime, make_tenant, staff_token):
    mehr = await make_tenant("mehr")
    await add_units(runtime, mehr, [imei(0), imei(1)], sku="PH-1", batch="B-7")
    await add_units(runtime, mehr, [imei(2)], sku="PH-1", batch="B-8")
    await add_units(runtime, mehr, [imei(3)], sku="PH-2", batch="B-7")
    admin = await staff_token(mehr, "admin")
    both = await launched(client, admin, model_sku="PH-1", batch="B-7")
    assert both["progress"]["units"] == 2
    assert await statuses(runtime, mehr) == {imei(0): "recalled", imei(1): "recalled", imei(2): "in_stock",
                                             imei(3): "in_stock"}
    by_batch = await launched(client, admin, batch="B-7")  # imei(3) only: the rest are recalled already
    assert by_batch["progress"]["units"] == 1
    by_model = await launched(client, admin, model_sku="PH-1")
    assert by_model["progress"]["units"] == 1 and (await statuses(runtime, mehr))[imei(2)] == "recalled"


async def test_a_serial_range_holds_its_first_and_last_serial_and_nothing_past_them(client, runtime, make_tenant,
                                                                                 staff_token):
    mehr = await make_tenant("mehr")
    await add_units(runtime, mehr, [imei(n) for n in range(10, 17)])
    admin = await staff_token(mehr, "admin")
    recall = await launched(client, admin, serial_from=imei(11), serial_to=imei(15))
    assert recall["selection"]["serial_from"] == imei(11) and recall["progress"]["units"] == 5
    recalled = {s for s, status in (await statuses(runtime, mehr)).items() if status == "recalled"}
    assert recalled == {imei(n) for n in range(11, 16)}  # imei(10) and imei(16), one past each end, are not


async def test_a_range_compares_serials_of_its_ends_length_only(client, runtime, make_tenant, staff_token):
    shop = await make_tenant("shop", **SN_TENANT)
    await add_units(runtime, shop, ["SN-099", "SN-100", "SN-150", "SN-199", "SN-200", "SN-1000", "SN1-50"])
    admin = await staff_token(shop, "admin")
    created = await draft(client, admin, serial_from="sn-100", serial_to="SN-199")
    assert created["selection"]["serial_from"] == "SN-100"  # normalised as the vertical normalises serials
    assert created["preview"]["units"] == 3
    await client.post(f"/api/v1/recalls/{created['id']}/launch", headers=admin)
    recalled = {s for s, status in (await statuses(runtime, shop)).items() if status == "recalled"}
    assert recalled == {"SN-100", "SN-150", "SN-199"}  # not SN-1000 (sorts inside, but longer), nor SN1-50


async def test_a_range_of_ends_of_different_length_or_reversed_is_refused_by_field(client, runtime, make_tenant,
                                                                                  staff_token):
    shop = await make_tenant("shop", **SN_TENANT)
    admin = await staff_token(shop, "admin")

    async def errors(**body: str) -> dict[str, str]:
        response = await client.post("/api/v1/recalls/", headers=admin, json=campaign(**body))
        assert response.status_code == 422, response.text
        return {e["field"]: e["reason"] for e in response.json()["errors"]}

    uneven = await errors(serial_from="SN-100", serial_to="SN-1999")
    assert list(uneven) == ["serial_to"] and "must be the same length" in uneven["serial_to"]
    reversed_range = await errors(serial_from="SN-199", serial_to="SN-100")
    assert "SN-100 comes before SN-199" in reversed_range["serial_to"]
    assert list(await errors(serial_from="SN-100")) == ["serial_to"]
    assert list(await errors(serial_from="XX", serial_to="SN-100")) == ["serial_from"]
    assert set(await errors(title=" ", remedy="", model_sku="NOPE")) == {"title", "remedy", "model_sku"}
    nothing = await errors()
    assert "select the units" in nothing["model_sku"]
    listed = (await client.get("/api/v1/recalls/", headers=admin)).json()
    assert listed == {"items": [], "next_cursor": None}  # nothing was written


async def test_each_refused_campaign_field_carries_its_code(client, runtime, make_tenant, staff_token):
    shop = await make_tenant("shop", **SN_TENANT)
    admin = await staff_token(shop, "admin")

    async def codes(**body: str) -> dict[str, str | None]:
        response = await client.post("/api/v1/recalls/", headers=admin, json=campaign(**body))
        assert response.status_code == 422, response.text
        return {e["field"]: e.get("code") for e in response.json()["errors"]}

    assert await codes(title=" ", remedy="x" * 2001, model_sku="NOPE", serial_from="SN-100") == {
        "title": "recall.empty", "remedy": "recall.too_long", "model_sku": "recall.unknown_model",
        "serial_to": "recall.range_incomplete"}
    assert await codes(serial_from="SN-100", serial_to="SN-1999") == {"serial_to": "recall.range_lengths_differ"}
    assert await codes(serial_from="SN-199", serial_to="SN-100") == {"serial_to": "recall.range_reversed"}
    assert await codes() == {"model_sku": "recall.no_selection"}
    assert await codes(serial_from="XX", serial_to="SN-100") == {"serial_from": None}  # the vertical's own words


async def test_a_launch_notifies_each_registered_owner_on_their_channels_once(client, runtime, make_tenant,
                                                                              staff_token):
    mehr = await make_tenant("mehr")
    await add_units(runtime, mehr, [imei(n) for n in range(3)])
    admin = await staff_token(mehr, "admin")
    both = await register(client, admin, imei(0), phone="+49 30 901820", email="sara@example.com")
    await register(client, admin, imei(1), email="ali@example.com")
    created = await draft(client, admin, batch="B-7")
    first = await client.post(f"/api/v1/recalls/{created['id']}/launch", headers=admin)
    assert first.status_code == 200
    body = first.json()
    assert body["status"] == "active" and body["launched_by"].startswith("staff:")
    assert body["progress"] == {"units": 3, "registered": 2, "notified": 2, "acknowledged": 0, "fixed": 0,
                                "unregistered": 1}
    messages = await outbox(runtime, mehr)
    assert [(m.recipient, m.channel) for m in messages] == [
        ("+4930901820", "sms"), ("ali@example.com", "email"), ("sara@example.com", "email")]
    sara_sms = messages[0]
    assert sara_sms.event == "recall.notice" and sara_sms.idempotency_key == f"recall:{created['id']}:{both}:sms"
    assert imei(0) in sara_sms.body and DEFECT in sara_sms.body
    assert "/api/v1/public/mehr/recall-acknowledgements/" in sara_sms.payload["acknowledge_url"]
    again = await client.post(f"/api/v1/recalls/{created['id']}/launch", headers=admin)
    assert again.status_code == 409 and "only a draft can be launched" in again.json()["detail"]
    assert again.json()["code"] == "recall.not_draft" and again.json()["params"] == {"status": "active"}
    assert len(await outbox(runtime, mehr)) == 3
    assert (await statuses(runtime, mehr)) == {imei(n): "recalled" for n in range(3)}


@pytest.mark.postgres_only  # SQLite runs one writer at a time; concurrent launches are PostgreSQL's case
async def test_two_launches_at_once_launch_it_once(client, runtime, make_tenant, staff_token):
    mehr = await make_tenant("mehr")
    await add_units(runtime, mehr, [imei(n) for n in range(20)])
    admin = await staff_token(mehr, "admin")
    for n in range(10):
        await register(client, admin, imei(n), email=f"owner{n}@example.com")
    created = await draft(client, admin, batch="B-7")
    url = f"/api/v1/recalls/{created['id']}/launch"
    results = await asyncio.gather(*(client.post(url, headers=admin) for _ in range(3)))
    assert sorted(r.status_code for r in results) == [200, 409, 409]
    assert len(await outbox(runtime, mehr)) == 10


async def test_only_the_token_hash_is_stored_with_the_unit(client, runtime, make_tenant, staff_token):
    mehr = await make_tenant("mehr")
    await add_units(runtime, mehr, [imei(0)])
    admin = await staff_token(mehr, "admin")
    await register(client, admin, imei(0), email="sara@example.com")
    await launched(client, admin, batch="B-7")
    (message,) = await outbox(runtime, mehr)
    token = message.payload["acknowledge_url"].rsplit("/", 1)[1]
    async with runtime.db.transaction(mehr.id) as s:
        unit = await s.scalar(select(RecallUnit))
    assert len(token) >= 43 and unit.ack_token_hash is not None and token not in unit.ack_token_hash
    assert unit.message_ids == [str(message.id)]


async def test_launching_a_selection_with_no_unit_in_service_is_refused(client, runtime, make_tenant, staff_token):
    mehr = await make_tenant("mehr")
    await add_units(runtime, mehr, [imei(0)], status="blocked")
    admin = await staff_token(mehr, "admin")
    created = await draft(client, admin, batch="B-7")
    refused = await client.post(f"/api/v1/recalls/{created['id']}/launch", headers=admin)
    assert refused.status_code == 409 and "selects no unit in service" in refused.json()["detail"]
    assert (await client.get(f"/api/v1/recalls/{created['id']}", headers=admin)).json()["status"] == "draft"


async def _as_owner(backend, *statements: str) -> None:
    engine = create_async_engine(backend.owner_url)
    try:
        async with engine.begin() as connection:
            for statement in statements:
                await connection.execute(text(statement))
    finally:
        await engine.dispose()


async def refuse_writes(backend, operation: str, table: str, condition: str) -> str:
    """Make the database itself refuse one write (a trigger, created as the owner); returns the statement that
    drops the trigger again."""
    if backend.name == "sqlite":
        await _as_owner(backend, f"CREATE TRIGGER refuse BEFORE {operation} ON {table} WHEN {condition} "
                                 "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END")
        return "DROP TRIGGER refuse"
    await _as_owner(backend, "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
                             "$$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$",
                    f"CREATE TRIGGER refuse BEFORE {operation} ON {table} FOR EACH ROW WHEN ({condition}) "
                    "EXECUTE FUNCTION refuse()")
    return f"DROP TRIGGER refuse ON {table}"


@pytest.mark.parametrize("failing", ["the last notice", "recalling the last unit"])
async def test_a_launch_failing_at_its_last_write_leaves_nothing_behind(client, runtime, backend, make_tenant,
                                                                       staff_token, failing):
    mehr = await make_tenant("mehr")
    await add_units(runtime, mehr, [imei(0), imei(1), imei(2)])
    admin = await staff_token(mehr, "admin")
    await register(client, admin, imei(0), email="first@example.com")
    await register(client, admin, imei(1), email="last@example.com")  # its notice is queued last
    created = await draft(client, admin, batch="B-7")
    before = await statuses(runtime, mehr)
    if failing == "the last notice":
        undo = await refuse_writes(backend, "INSERT", "outbox_messages", "NEW.recipient = 'last@example.com'")
    else:  # units are recalled after every notice is queued and every unit row written
        undo = await refuse_writes(backend, "UPDATE", "serials", f"NEW.serial = '{imei(2)}'")
    failed = await client.post(f"/api/v1/recalls/{created['id']}/launch", headers=admin)
    assert failed.status_code == 500
    assert await statuses(runtime, mehr) == before  # no unit recalled
    assert await outbox(runtime, mehr) == []  # not even the first owner's notice
    async with runtime.db.transaction(mehr.id) as s:
        assert await s.scalar(select(func.count()).select_from(RecallUnit)) == 0
    shown = (await client.get(f"/api/v1/recalls/{created['id']}", headers=admin)).json()
    assert shown["status"] == "draft" and shown["launched_at"] is None
    await _as_owner(backend, undo)
    retried = await client.post(f"/api/v1/recalls/{created['id']}/launch", headers=admin)
    assert retried.status_code == 200 and retried.json()["progress"]["notified"] == 2

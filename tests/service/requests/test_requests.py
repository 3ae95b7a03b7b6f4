"""Service requests through the API: opening, the state machine's moves and refusals, assignment, the
append-only timeline, per-tenant numbers and paging, and tenant isolation."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError

from aftersales.service.states import FINAL, MOVES, IllegalTransition, RequestState, check_move
from support.warranty import add_unit

IMEI = "490154203237518"
WALK_IN = {"kind": "repair", "channel": "walk_in", "summary": "screen flickers",
           "customer": {"name": "Sara Example", "phone": "+49 30 901820"}}


async def open_request(client, headers, body=None):
    response = await client.post("/api/v1/requests/", json=body or WALK_IN, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def move(client, headers, request_id, to, note=""):
    return await client.post(f"/api/v1/requests/{request_id}/moves", json={"to": to, "note": note}, headers=headers)


def test_ended_requests_never_move_and_every_open_state_can_end():
    for state in FINAL:
        assert MOVES[state] == frozenset()
    for state in set(RequestState) - FINAL:
        assert MOVES[state] & FINAL, state
    with pytest.raises(IllegalTransition, match="already closed"):
        check_move(RequestState.CLOSED, RequestState.IN_REPAIR)


async def test_a_request_comes_in_by_fax_or_letter_and_by_no_unknown_channel(client, make_tenant, staff_token):
    """Seed 004's channels: phone, fax, letter, e-mail and the website (``portal``)."""
    agent = await staff_token(await make_tenant("laser"), "agent")
    for channel in ("fax", "letter", "phone", "email", "portal"):
        assert (await open_request(client, agent, {**WALK_IN, "channel": channel}))["channel"] == channel
    refused = await client.post("/api/v1/requests/", json={**WALK_IN, "channel": "telegram"}, headers=agent)
    assert refused.status_code == 400 and "channel" in refused.text


async def test_a_repair_goes_through_its_life_and_the_timeline_tells_it(client, make_tenant, staff_token):
    mehr = await make_tenant("mehr")
    agent = await staff_token(mehr, "agent")
    opened = await open_request(client, agent)
    assert (opened["state"], opened["number"]) == ("received", 1)
    for state in ("diagnosing", "waiting_for_parts", "in_repair", "ready", "returned"):
        response = await move(client, agent, opened["id"], state, note=f"now {state}")
        assert response.status_code == 200 and response.json()["state"] == state
    done = (await client.get(f"/api/v1/requests/{opened['id']}", headers=agent)).json()
    assert done["closed_at"] is not None
    events = (await client.get(f"/api/v1/requests/{opened['id']}/timeline", headers=agent)).json()
    assert [(e["kind"], e["from_state"], e["to_state"]) for e in events] == [
        ("opened", None, "received"), ("moved", "received", "diagnosing"), ("moved", "diagnosing", "waiting_for_parts"),
        ("moved", "waiting_for_parts", "in_repair"), ("moved", "in_repair", "ready"), ("moved", "ready", "returned")]
    assert all(e["actor"].startswith("staff:") for e in events)


async def test_an_illegal_move_is_refused_with_what_is_allowed(client, make_tenant, staff_token):
    mehr = await make_tenant("mehr")
    agent = await staff_token(mehr, "agent")
    opened = await open_request(client, agent)
    refused = await move(client, agent, opened["id"], "returned")
    assert refused.status_code == 409
    assert refused.json()["detail"] == ("a request that is received cannot become returned; it can become: cancelled, "
                                        "closed, diagnosing, in_repair, ready")
    await move(client, agent, opened["id"], "cancelled")
    assert (await move(client, agent, opened["id"], "diagnosing")).status_code == 409
    events = (await client.get(f"/api/v1/requests/{opened['id']}/timeline", headers=agent)).json()
    assert [e["kind"] for e in events] == ["opened", "moved"]  # refused moves leave no trace


async def test_a_request_for_a_registered_unit_belongs_to_its_owner(client, runtime, make_tenant, staff_token):
    mehr = await make_tenant("mehr")
    await add_unit(runtime, mehr, IMEI)
    agent = await staff_token(mehr, "agent")
    registration = (await client.post("/api/v1/registrations/", headers=agent, json={
        "serial": IMEI, "purchased_on": "2026-06-01", "owner": {"name": "Owner", "email": "owner@example.com"}})).json()
    opened = await open_request(client, agent, {"kind": "repair", "channel": "phone", "summary": "no sound",
                                                "registration_id": registration["id"]})
    assert opened["customer_id"] == registration["owner"]["id"]


async def test_bad_requests_report_every_field_and_write_nothing(client, make_tenant, staff_token):
    mehr = await make_tenant("mehr")
    agent = await staff_token(mehr, "agent")
    bad = await client.post("/api/v1/requests/", headers=agent, json={
        "kind": "repair", "channel": "phone", "summary": " ",
        "registration_id": "0190a6c4-0000-7000-8000-000000000000"})
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"summary", "registration_id", "customer"}
    shape = await client.post("/api/v1/requests/", headers=agent, json={**WALK_IN, "kind": "teleport"})
    assert shape.status_code == 400
    assert (await client.get("/api/v1/requests/", headers=agent)).json()["items"] == []


async def test_a_summary_over_the_limit_is_refused_naming_it_and_one_at_the_limit_once_trimmed_is_taken(
        client, make_tenant, staff_token):
    mehr = await make_tenant("mehr")
    agent = await staff_token(mehr, "agent")
    for length in (2001, 50_000):  # one over the documented maxLength, and far over it: the same answer
        too_long = await client.post("/api/v1/requests/", headers=agent, json={**WALK_IN, "summary": "s" * length})
        assert too_long.status_code == 422
        assert [e["field"] for e in too_long.json()["errors"]] == ["summary"]
    at_the_limit = await open_request(client, agent, {**WALK_IN, "summary": "  " + "s" * 2000 + "\n"})
    assert at_the_limit["summary"] == "s" * 2000


def test_the_api_takes_exactly_the_kinds_channels_and_hold_reasons_the_service_knows():
    from typing import get_args

    from aftersales.contract.values import CHANNELS, HOLD_REASONS
    from aftersales.service.requests.schemas import HoldIn, RequestIn
    from aftersales.service.requests.services import KINDS, MAX_SUMMARY

    assert get_args(RequestIn.model_fields["kind"].annotation) == KINDS
    assert get_args(RequestIn.model_fields["channel"].annotation) == CHANNELS
    assert get_args(HoldIn.model_fields["reason"].annotation) == HOLD_REASONS
    assert RequestIn.model_json_schema()["properties"]["summary"]["maxLength"] == MAX_SUMMARY


async def test_assignment_to_staff_of_the_tenant_only(client, runtime, make_tenant, staff_token):
    mehr = await make_tenant("mehr")
    other = await make_tenant("other")
    agent = await staff_token(mehr, "agent")
    opened = await open_request(client, agent)
    me = (await client.get("/api/v1/me", headers=agent)).json()
    ok = await client.post(f"/api/v1/requests/{opened['id']}/assignment", headers=agent,
                           json={"assignee_id": me["subject"]})
    assert ok.status_code == 200 and ok.json()["assignee_id"] == me["subject"]
    foreign = (await client.get("/api/v1/me", headers=await staff_token(other, "technician"))).json()
    refused = await client.post(f"/api/v1/requests/{opened['id']}/assignment", headers=agent,
                                json={"assignee_id": foreign["subject"]})
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "assignee_id"


async def test_the_timeline_is_append_only_in_the_database(client, runtime, make_tenant, staff_token):
    mehr = await make_tenant("mehr")
    opened = await open_request(client, await staff_token(mehr, "agent"))
    for statement in ("UPDATE request_events SET note = 'rewritten'", "DELETE FROM request_events"):
        with pytest.raises((DBAPIError, IntegrityError), match="append-only"):
            async with runtime.db.transaction(mehr.id) as s:
                await s.execute(text(statement))
    async with runtime.db.transaction(mehr.id) as s:
        notes = list(await s.scalars(text("SELECT note FROM request_events")))
    assert notes == [opened["summary"]]


async def test_numbers_run_per_tenant_and_lists_page_newest_first(client, make_tenant, staff_token):
    alpha, bravo = await make_tenant("alpha"), await make_tenant("bravo")
    alpha_agent, bravo_agent = await staff_token(alpha, "agent"), await staff_token(bravo, "agent")
    for _ in range(3):
        await open_request(client, alpha_agent)
    assert (await open_request(client, bravo_agent))["number"] == 1
    first = (await client.get("/api/v1/requests/", headers=alpha_agent, params={"limit": 2})).json()
    second = (await client.get("/api/v1/requests/", headers=alpha_agent,
                               params={"limit": 2, "cursor": first["next_cursor"]})).json()
    assert [r["number"] for r in first["items"]] == [3, 2] and [r["number"] for r in second["items"]] == [1]
    assert second["next_cursor"] is None
    forged = await client.get("/api/v1/requests/", headers=alpha_agent, params={"cursor": "WyJ4Il0"})  # ["x"]
    assert forged.status_code == 422 and forged.json()["errors"][0]["field"] == "cursor"
    received = (await client.get("/api/v1/requests/", headers=alpha_agent, params={"state": "closed"})).json()
    assert received["items"] == []


async def test_tenant_b_cannot_read_move_assign_or_annotate_tenant_as_request(client, make_tenant, staff_token):
    alpha, bravo = await make_tenant("alpha"), await make_tenant("bravo")
    alpha_agent, bravo_admin = await staff_token(alpha, "agent"), await staff_token(bravo, "admin")
    opened = await open_request(client, alpha_agent)
    url = f"/api/v1/requests/{opened['id']}"
    me = (await client.get("/api/v1/me", headers=bravo_admin)).json()
    assert (await client.get(url, headers=bravo_admin)).status_code == 404
    assert (await client.get(f"{url}/timeline", headers=bravo_admin)).status_code == 404
    assert (await move(client, bravo_admin, opened["id"], "diagnosing")).status_code == 404
    assert (await client.post(f"{url}/notes", headers=bravo_admin, json={"note": "x"})).status_code == 404
    assert (await client.post(f"{url}/assignment", headers=bravo_admin,
                              json={"assignee_id": me["subject"]})).status_code == 404
    assert (await client.get("/api/v1/requests/", headers=bravo_admin)).json()["items"] == []
    assert (await client.get(url, headers=alpha_agent)).json()["state"] == "received"


async def test_finance_reads_requests_but_cannot_change_them(client, make_tenant, staff_token):
    mehr = await make_tenant("mehr")
    opened = await open_request(client, await staff_token(mehr, "agent"))
    finance = await staff_token(mehr, "finance")
    assert (await client.get(f"/api/v1/requests/{opened['id']}", headers=finance)).status_code == 200
    assert (await move(client, finance, opened["id"], "diagnosing")).status_code == 403

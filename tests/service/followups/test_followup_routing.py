"""Routing answered follow-ups (``aftersales_followup_answered``): seed 004's chain engineer → R&D → call back,
written as an inline plugin on Golden Laser's real manifest, each step a follow-up the right staff sees and
answers; and a plugin that never closes is stopped."""

from __future__ import annotations

from datetime import datetime

import pytest

from aftersales.contract import FollowUpRouting, PluginSettings, VerticalInfo, hookimpl, messages
from aftersales.onboarding.manifest import read_manifest_file
from aftersales.onboarding.services import onboard
from aftersales.plugins import build_plugin_registry
from aftersales.service.followups.delivery import send_due_followups
from aftersales.service.followups.routing import MAX_STEPS
from aftersales.settings import REPO_ROOT

_ = messages("seed4_routing")
INSTALLATION = {"kind": "installation", "channel": "phone", "summary": "install the fibre laser cutter",
                "customer": {"name": "Giorgi Workshop", "phone": "+995 32 200 0001"}}


class Seed4Routing:
    """Seed 004: a problem goes to the engineer; one the engineer cannot solve goes to R&D by a work contact
    letter; then the customer is called back. ``endless`` sends every answer to the engineer again."""

    endless = False
    failing = False

    @hookimpl
    def aftersales_vertical_info(self) -> VerticalInfo:
        return VerticalInfo(name="seed4_routing", title="Seed 004 routing", version="1.0", kind="addon",
                            description="routes follow-up problems", settings_schema=PluginSettings)

    @hookimpl
    def aftersales_followup_answered(self, tenant, answer):
        if self.failing:
            raise RuntimeError("the routing table is missing")
        if self.endless:
            return FollowUpRouting("engineer", _("again"))
        if not answer.routing:
            return FollowUpRouting("engineer", _("a problem goes to the engineer")) if answer.problem_reported else None
        if answer.routing[-1] == "engineer" and answer.problem_reported:
            return FollowUpRouting("rnd", _("the engineer could not solve it: a work contact letter to R&D"),
                                   questionnaire=("What did R&D find?",))
        if answer.routing[-1] in ("engineer", "rnd"):
            return FollowUpRouting("call_back", _("tell the customer what was done"))
        return FollowUpRouting("close", _("the customer was called back"))


ROUTER = Seed4Routing()


@pytest.fixture
def plugins():
    ROUTER.endless = ROUTER.failing = False
    return build_plugin_registry(extra_plugins=[("seed4_routing", ROUTER)])


@pytest.fixture
async def golden(runtime):
    manifest = read_manifest_file(REPO_ROOT / "tenants" / "golden-laser.toml")
    async with runtime.db.transaction(None) as session:
        record, _ = await onboard(session, runtime.plugins, {**manifest, "addons": ["seed4_routing"]})
    return record


async def called(client, runtime, golden, agent, engineer_id):
    """An installation served by ``engineer_id``, signed off, and its 3-day call on the agents' list."""
    opened = (await client.post("/api/v1/requests/", json=INSTALLATION, headers=agent)).json()
    await client.post(f"/api/v1/requests/{opened['id']}/assignment", json={"assignee_id": engineer_id}, headers=agent)
    signed = (await client.post(f"/api/v1/requests/{opened['id']}/training-signoff", json={"signed_by": "Giorgi"},
                                headers=agent)).json()
    call = next(f for f in signed["followups"] if f["plan_name"] == "installation_call_3d")
    await send_due_followups(runtime, golden.id, datetime.fromisoformat(call["due_at"]))
    return opened, call


async def answer(client, headers, followup_id, **body):
    response = await client.post(f"/api/v1/followups/{followup_id}/answers", json=body, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def the_step(client, headers, answered, **params):
    steps = (await client.get("/api/v1/followups", params=params, headers=headers)).json()["items"]
    [step] = [s for s in steps if s["routed_from_id"] == answered["id"]]
    return step


async def test_aftersales_followup_answered_routes_seed_004s_problem_engineer_rnd_call_back_then_closes(
        client, runtime, golden, staff_token):
    agent, technician = await staff_token(golden, "agent"), await staff_token(golden, "technician")
    engineer_id = (await client.get("/api/v1/me", headers=technician)).json()["subject"]
    opened, call = await called(client, runtime, golden, agent, engineer_id)

    first = await answer(client, agent, call["id"], answers=["no", "the nesting software", "yes", "yes"],
                         problem={"summary": "cannot run the nesting software"})
    assert (first["routed_to"], first["routing_reason"]) == ("engineer", "a problem goes to the engineer")
    engineer_step = await the_step(client, technician, first, step="engineer", assignee_id=engineer_id)
    assert (engineer_step["channel"], engineer_step["routing"], engineer_step["status"]) == (
        "call", ["engineer"], "scheduled")
    assert engineer_step["questionnaire"] == ["Did the engineer solve the problem?"]

    second = await answer(client, technician, engineer_step["id"], answers=["no"],
                          problem={"summary": "the laser source trips"})
    assert second["problem_request_id"] is None, "a step's problem has its request already"
    assert second["routed_to"] == "rnd"
    rnd = await the_step(client, agent, second, step="rnd")
    assert (rnd["routing"], rnd["questionnaire"], rnd["assignee_id"]) == (["engineer", "rnd"],
                                                                          ["What did R&D find?"], None)

    third = await answer(client, agent, rnd["id"], answers=["a firmware fix for the source driver"])
    assert third["routed_to"] == "call_back"
    call_back = await the_step(client, agent, third, step="call_back")
    assert call_back["routing"] == ["engineer", "rnd", "call_back"]

    last = await answer(client, agent, call_back["id"], answers=["yes"])
    assert (last["routed_to"], last["routing_reason"]) == ("close", "the customer was called back")
    everything = (await client.get("/api/v1/followups", headers=agent)).json()["items"]
    assert not [f for f in everything if f["routed_from_id"] == last["id"]]
    notes = [e["note"] for e in (await client.get(f"/api/v1/requests/{opened['id']}/timeline", headers=agent)).json()]
    assert notes[-4:] == [
        "the installation call 3d follow-up was routed to the engineer: a problem goes to the engineer",
        ("the installation call 3d follow-up was routed to R&D: the engineer could not solve it: a work contact "
         "letter to R&D"),
        "the installation call 3d follow-up was routed to a call back: tell the customer what was done",
        "the installation call 3d follow-up was closed: the customer was called back"]
    requests = (await client.get("/api/v1/requests", headers=agent)).json()["items"]
    assert len(requests) == 2, "one request for the problem, none for the steps"


async def test_a_follow_up_answered_without_a_problem_is_left_to_the_core_and_closes(client, runtime, golden,
                                                                                    staff_token):
    agent = await staff_token(golden, "agent")
    engineer_id = (await client.get("/api/v1/me", headers=await staff_token(golden, "technician"))).json()["subject"]
    _, call = await called(client, runtime, golden, agent, engineer_id)
    fine = await answer(client, agent, call["id"], answers=["yes"] * 4, csat=5)
    assert (fine["routed_to"], fine["routing_reason"]) == ("close", "no problem reported")


async def test_a_routing_that_never_closes_is_closed_after_the_step_limit(client, runtime, golden, staff_token):
    ROUTER.endless = True
    agent = await staff_token(golden, "agent")
    engineer_id = (await client.get("/api/v1/me", headers=await staff_token(golden, "technician"))).json()["subject"]
    _, call = await called(client, runtime, golden, agent, engineer_id)
    answered = await answer(client, agent, call["id"], answers=["no"] * 4, problem={"summary": "it stops"})
    for _ in range(MAX_STEPS):
        step = await the_step(client, agent, answered, step="engineer")
        answered = await answer(client, agent, step["id"], answers=["no"])
    assert len(step["routing"]) == MAX_STEPS
    assert (answered["routed_to"], answered["routing_reason"]) == ("close", f"closed after {MAX_STEPS} steps")


async def test_a_failing_routing_keeps_the_answers_and_calls_the_customer_back_by_the_core_default(
        client, runtime, golden, staff_token, caplog):
    ROUTER.failing = True
    agent = await staff_token(golden, "agent")
    engineer_id = (await client.get("/api/v1/me", headers=await staff_token(golden, "technician"))).json()["subject"]
    _, call = await called(client, runtime, golden, agent, engineer_id)
    answered = await answer(client, agent, call["id"], answers=["no"] * 4, problem={"summary": "it stops"})
    assert answered["status"] == "answered" and answered["answers"] == ["no"] * 4
    assert (answered["routed_to"], answered["routing_reason"]) == (
        "call_back", "the customer reported a problem: call them back")
    assert any("plugin=seed4_routing" in r.getMessage() and "hook=aftersales_followup_answered" in r.getMessage()
               for r in caplog.records), "the failure is logged and attributed"

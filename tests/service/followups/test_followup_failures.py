"""A plugin failing on ``aftersales_followups`` never undoes the move that recorded the event: the repair is
ready, the failure is kept where staff see it, the worker retries it (logging the tenant once per pass) and plans
the calls once the plugin answers; another tenant's follow-ups are untouched throughout."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from aftersales.contract.hookspecs import hookimpl
from aftersales.contract.values import FollowUpPlan, PluginSettings, VerticalInfo
from aftersales.db.base import utcnow
from aftersales.plugins import build_plugin_registry
from aftersales.worker import run_once

REPAIR = {"kind": "repair", "channel": "phone", "summary": "the screen flickers",
          "customer": {"name": "Sara Karimi", "phone": "+98 912 000 0001"}}


class Flaky:
    """A vertical whose follow-up rule fails until it is fixed."""

    broken = True

    @hookimpl
    def aftersales_vertical_info(self):
        return VerticalInfo(name="flaky", title="Flaky", version="1", description="fails on follow-ups",
                            settings_schema=PluginSettings)

    @hookimpl
    def aftersales_followups(self, tenant, event):
        if self.broken:
            raise KeyError("questionnaire")
        return [FollowUpPlan(name="repair_call", after=timedelta(days=3), channel="call")] \
            if event.kind == "repaired" else []


FLAKY = Flaky()


@pytest.fixture
def plugins():
    FLAKY.broken = True
    return build_plugin_registry(extra_plugins=[("flaky", FLAKY)])


async def repaired(client, headers) -> dict:
    opened = (await client.post("/api/v1/requests/", json=REPAIR, headers=headers)).json()
    for state in ("in_repair", "ready"):
        response = await client.post(f"/api/v1/requests/{opened['id']}/moves", json={"to": state}, headers=headers)
        assert response.status_code == 200, response.text
    return response.json()


async def test_a_failing_followup_rule_does_not_undo_the_ready_move_and_staff_see_the_failure(
        client, make_tenant, staff_token):
    flaky, healthy = await make_tenant("flaky-co", vertical="flaky"), await make_tenant("healthy")
    agent = await staff_token(flaky, "agent")
    request = await repaired(client, agent)
    assert request["state"] == "ready"
    [failure] = (await client.get("/api/v1/followups/failures", headers=agent)).json()
    assert (failure["plugin"], failure["hook"], failure["event_kind"], failure["attempts"]) == (
        "flaky", "aftersales_followups", "repaired", 1)
    assert failure["reason"] == "raised KeyError: 'questionnaire'"
    assert failure["request_id"] == request["id"] and len(failure["error_id"]) == 12
    assert failure["next_attempt_at"] is not None and failure["resolved_at"] is None
    other = await staff_token(healthy, "agent")
    assert (await repaired(client, other))["state"] == "ready"
    assert (await client.get("/api/v1/followups/failures", headers=other)).json() == []


async def test_the_request_s_console_page_says_its_follow_ups_wait_for_the_failing_plugin(
        client, pages, make_tenant, staff_token, sign_in_staff):
    flaky = await make_tenant("flaky-co", vertical="flaky")
    request = await repaired(client, await staff_token(flaky, "agent"))
    [failure] = (await client.get("/api/v1/followups/failures", headers=await staff_token(flaky, "agent"))).json()
    await sign_in_staff(pages, flaky, "agent")
    page = await pages.get(f"/t/flaky-co/console/requests/{request['id']}")
    assert page.status_code == 200
    assert (f"The follow-ups after this request could not be planned: the flaky rules failed "
            f"(error {failure['error_id']})") in page.text


async def test_the_worker_retries_logging_the_tenant_once_per_pass_and_plans_the_calls_once_fixed(
        runtime, client, make_tenant, staff_token, caplog):
    flaky = await make_tenant("flaky-co", vertical="flaky")
    agent = await staff_token(flaky, "agent")
    for _ in range(3):  # three repairs wait; a pass tries the first and stops there
        await repaired(client, agent)
    later = utcnow() + timedelta(hours=1)
    with caplog.at_level(logging.INFO):
        assert (await run_once(runtime, later))["retry_failed_followups"] == 0
    worker_lines = [r for r in caplog.records if r.name == "aftersales.worker"]
    assert len(worker_lines) == 1 and worker_lines[0].levelno == logging.WARNING
    assert worker_lines[0].exc_info is None
    assert "flaky-co" in worker_lines[0].getMessage() and "retry_failed_followups" in worker_lines[0].getMessage()
    failures = (await client.get("/api/v1/followups/failures", headers=agent)).json()
    assert sorted(f["attempts"] for f in failures) == [1, 1, 2]

    FLAKY.broken = False
    caplog.clear()
    counts = await run_once(runtime, later + timedelta(hours=7))
    assert counts["retry_failed_followups"] == 3
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert (await client.get("/api/v1/followups/failures", headers=agent)).json() == []
    resolved = (await client.get("/api/v1/followups/failures", params={"resolved": "true"}, headers=agent)).json()
    assert len(resolved) == 3 and all(f["resolved_at"] for f in resolved)
    calls = (await client.get("/api/v1/followups", headers=agent)).json()["items"]
    assert [c["plan_name"] for c in calls] == ["repair_call"] * 3


async def test_a_failure_is_not_retried_once_the_unit_goes_back_into_repair(runtime, client, make_tenant,
                                                                             staff_token):
    flaky = await make_tenant("flaky-co", vertical="flaky")
    agent = await staff_token(flaky, "agent")
    request = await repaired(client, agent)
    back = await client.post(f"/api/v1/requests/{request['id']}/moves", json={"to": "in_repair"}, headers=agent)
    assert back.status_code == 200
    assert (await client.get("/api/v1/followups/failures", headers=agent)).json() == []
    FLAKY.broken = False
    assert (await run_once(runtime, utcnow() + timedelta(hours=1)))["retry_failed_followups"] == 0

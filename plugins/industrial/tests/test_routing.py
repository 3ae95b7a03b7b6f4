"""Where Golden Laser routes a problem found on a follow-up call (seed 004): to the service or training engineer,
to R&D by a work contact letter if the engineer cannot solve it, then a call back to the customer."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from aftersales.contract import FollowUpAnswer
from aftersales.settings import REPO_ROOT

AT = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def route(manifest_context, plugin_hooks):
    golden = manifest_context(REPO_ROOT / "tenants" / "golden-laser.toml")
    hooks = plugin_hooks(golden)

    def step(*routing: str, problem: bool) -> tuple[str, str]:
        answer = FollowUpAnswer(plan_name="installation_call_3d", answers={}, problem_reported=problem,
                                answered_at=AT, routing=routing)
        found = hooks.aftersales_followup_answered(tenant=golden, answer=answer)
        return found.step, str(found.reason)

    return step


def test_aftersales_followup_answered_a_problem_goes_to_the_engineer(route) -> None:
    assert route(problem=True) == ("engineer", "a problem found on the call goes to the service or training engineer")
    assert route(problem=False) == ("close", "no problem reported")  # the core's answer: nothing to route


def test_what_the_engineer_cannot_solve_goes_to_rnd_then_the_customer_is_called_back(route) -> None:
    assert route("engineer", problem=True)[0] == "rnd"
    assert route("engineer", "rnd", problem=True) == ("call_back", "the problem was dealt with: call the customer back")
    assert route("engineer", "rnd", "call_back", problem=False) == ("close", "the customer was called back")


def test_what_the_engineer_solves_goes_straight_to_the_call_back(route) -> None:
    assert route("engineer", problem=False)[0] == "call_back"

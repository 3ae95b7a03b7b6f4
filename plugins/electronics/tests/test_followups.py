"""Follow-up calls of electronics tenants: Golden Laser's after installation and repair (seed 004), none of
Mehr's own (seed 000). Called through the tenant's real hook chain, so the core's survey is in the results."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from dateutil.relativedelta import relativedelta

from aftersales.contract import FollowUpPlan
from aftersales.contract.testing.factories import make_followup_answer, make_service_event

AT = datetime(2026, 5, 4, 15, 0, tzinfo=UTC)
SEED_QUESTIONS = (
    "Is the machine installed, and are you satisfied with it?",
    "Can you operate the machine independently?",
    "Are you satisfied with the engineer's attitude?",
    "Were you told the service hotline number?",
)


@pytest.fixture(scope="module")
def plans(plugin_hooks, seed_tenant):
    """Every plan the tenant ``slug`` gets after an event of ``kind``, by name (the core's included)."""
    def after(slug: str, kind: str) -> dict[str, FollowUpPlan]:
        tenant = seed_tenant(slug)
        event = make_service_event(kind=kind, occurred_at=AT, request_kind="installation")
        found = plugin_hooks(tenant).aftersales_followups(tenant=tenant, event=event)
        return {plan.name: plan for answer in found for plan in answer}

    return after


def test_aftersales_followups_golden_laser_calls_3_days_and_3_months_after_the_training_sign_off(plans) -> None:
    found = plans("golden-laser", "training_signed_off")
    assert sorted(found) == ["installation_call_3d", "installation_call_3m"]
    days, months = found["installation_call_3d"], found["installation_call_3m"]
    assert (days.after, days.channel) == (timedelta(days=3), "call")
    assert (months.after, months.channel) == (relativedelta(months=3), "call")
    assert days.questionnaire == months.questionnaire == SEED_QUESTIONS
    assert days.repeat_every is None and months.repeat_every is None


def test_golden_laser_installation_calls_wait_for_the_training_sign_off_not_the_installation(plans) -> None:
    assert plans("golden-laser", "installed") == {}


def test_golden_laser_calls_3_days_after_each_repair_with_the_questionnaire_asked_of_the_repair(plans) -> None:
    found = plans("golden-laser", "repaired")
    assert list(found) == ["repair_call_3d"]
    call = found["repair_call_3d"]
    assert (call.after, call.channel) == (timedelta(days=3), "call")
    assert call.questionnaire == ("Is the machine repaired, and are you satisfied with it?", *SEED_QUESTIONS[1:])


def test_golden_laser_closed_request_gets_only_the_core_survey(plans) -> None:
    assert list(plans("golden-laser", "request_closed")) == ["satisfaction_survey"]


@pytest.mark.parametrize("kind", ["installed", "training_signed_off", "repaired", "sold"])
def test_mehr_schedules_no_calls_of_its_own(plans, kind: str) -> None:
    assert plans("mehr", kind) == {}


@pytest.mark.parametrize(("csat", "routed"), [(1, "call_back"), (2, "call_back"), (3, "close"), (5, "close"),
                                              (None, "close")])
def test_aftersales_followup_answered_mehr_calls_back_a_survey_scored_2_or_less(
        plugin_hooks, seed_tenant, csat, routed) -> None:
    mehr = seed_tenant("mehr")
    answer = make_followup_answer(answers={}, csat=csat, answered_at=AT)
    assert plugin_hooks(mehr).aftersales_followup_answered(tenant=mehr, answer=answer).step == routed


def test_mehr_s_low_score_call_back_is_the_only_one(plugin_hooks, seed_tenant) -> None:
    """The call back's own low score closes it (no second call); a low score with a problem is the core's call."""
    mehr = seed_tenant("mehr")
    hooks = plugin_hooks(mehr)
    answered = hooks.aftersales_followup_answered(
        tenant=mehr, answer=make_followup_answer(csat=1, routing=("call_back",), answered_at=AT))
    assert answered.step == "close"
    problem = hooks.aftersales_followup_answered(
        tenant=mehr, answer=make_followup_answer(csat=1, problem_reported=True, answered_at=AT))
    assert (problem.step, str(problem.reason)) == ("call_back", "the customer reported a problem: call them back")

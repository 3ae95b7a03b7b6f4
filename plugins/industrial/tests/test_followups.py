"""Golden Laser's follow-ups (seed 004) through its real hook chain: calls 3 days and 3 months after the training
sign-off and 3 days after each repair with the four-question questionnaire, the periodic maintenance review, and
the sample return visits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from aftersales_industrial.followups import sampled_for_return_visit
from dateutil.relativedelta import relativedelta

from aftersales.contract import FollowUpPlan, ProductInfo, ServiceEvent
from aftersales.settings import REPO_ROOT

SIGNED_OFF = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
MACHINE = ProductInfo(sku="GL-F3015", name="Fibre laser cutter 3015")
QUESTIONS = (
    "Is the machine installed, and are you satisfied with it?",
    "Can you operate the machine independently, and what help do you need?",
    "Are you satisfied with the engineer's attitude?",
    "Were you told the service hotline number?",
)


@pytest.fixture(scope="module")
def plans(manifest_context, plugin_hooks):
    """Every plan Golden Laser gets after an event of ``kind``, by name (the core's included)."""
    golden = manifest_context(REPO_ROOT / "tenants" / "golden-laser.toml")
    hooks = plugin_hooks(golden)

    def after(kind: str, at: datetime = SIGNED_OFF) -> dict[str, FollowUpPlan]:
        event = ServiceEvent(kind=kind, occurred_at=at, request_kind="installation", product=MACHINE)
        return {plan.name: plan for answer in hooks.aftersales_followups(tenant=golden, event=event)
                for plan in answer}

    return after


def test_aftersales_followups_calls_3_days_and_3_months_after_the_training_sign_off(plans) -> None:
    found = plans("training_signed_off")
    three_days, three_months = found["installation_call_3d"], found["installation_call_3m"]
    assert (three_days.after, three_months.after) == (timedelta(days=3), relativedelta(months=3))
    assert SIGNED_OFF + three_days.after == datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
    assert SIGNED_OFF + three_months.after == datetime(2027, 2, 28, 10, 0, tzinfo=UTC)  # 30 Nov + 3 months
    assert three_days.questionnaire == three_months.questionnaire == QUESTIONS
    assert (three_days.channel, three_days.repeat_every) == ("call", None)


def test_the_calls_wait_for_the_training_sign_off_not_the_installation(plans) -> None:
    assert plans("installed") == {}


def test_a_repair_gets_a_call_3_days_later_with_the_questionnaire_asked_of_the_repair(plans) -> None:
    found = plans("repaired")
    assert list(found) == ["repair_call_3d"]
    call = found["repair_call_3d"]
    assert call.after == timedelta(days=3)
    assert call.questionnaire == ("Is the machine repaired, and are you satisfied with it?", *QUESTIONS[1:])


def test_maintenance_records_are_reviewed_every_6_months_while_parts_are_supplied(plans) -> None:
    review = plans("training_signed_off")["maintenance_review"]
    assert review.after == review.repeat_every == relativedelta(months=6)
    assert review.repeat_count == 16  # 8 years of parts support
    assert review.questionnaire[2].startswith("What do we recommend to the customer")


def test_a_closed_request_gets_only_the_core_survey(plans) -> None:
    assert list(plans("request_closed")) == ["satisfaction_survey"]


def test_return_visits_sample_about_one_installation_in_ten_of_each_type_reproducibly(plans) -> None:
    moments = [SIGNED_OFF + timedelta(minutes=17 * n) for n in range(2000)]
    events = [ServiceEvent(kind="training_signed_off", occurred_at=at, product=MACHINE) for at in moments]
    sampled = [sampled_for_return_visit(event, 10) for event in events]
    assert 150 <= sum(sampled) <= 250
    assert sampled == [sampled_for_return_visit(event, 10) for event in events]
    first = moments[sampled.index(True)]
    visit = plans("training_signed_off", first)["return_visit"]
    assert (visit.after, visit.channel, len(visit.questionnaire)) == (relativedelta(months=6), "call", 4)
    assert "return_visit" not in plans("training_signed_off", moments[sampled.index(False)])


def test_no_return_visits_at_0_percent_and_every_one_at_100(plans) -> None:
    event = ServiceEvent(kind="training_signed_off", occurred_at=SIGNED_OFF, product=MACHINE)
    assert not sampled_for_return_visit(event, 0) and sampled_for_return_visit(event, 100)

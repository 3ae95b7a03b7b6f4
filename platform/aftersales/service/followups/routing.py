"""Routing an answered follow-up (seed 004: a problem goes to an engineer, then R&D, then a call back).

When a follow-up's answers are recorded, the tenant's vertical answers ``aftersales_followup_answered`` with the
next step; the core records where it went and why on the answered follow-up and, unless the step is ``close``,
schedules the step as a new follow-up on the agents' call list (the engineer's step assigned to the engineer of
the request followed up). Answering a step asks the vertical again with the steps taken so far, until it closes.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract import defaults
from aftersales.contract.text import CORE_DOMAIN, loaded_text, messages, stored_text
from aftersales.contract.values import FollowUpAnswer, FollowUpRouting
from aftersales.errors import PluginFailed, VerticalUnavailable
from aftersales.identity.models import StaffUser
from aftersales.service.followups.models import FollowUp
from aftersales.service.models import RequestEvent, ServiceRequest
from aftersales.tenancy.current import CurrentTenant

_ = messages(CORE_DOMAIN)

MAX_STEPS = 8
"""A follow-up is closed after this many steps, whatever the vertical says: a routing that never closes is a bug,
not a reason to call a customer forever."""
STEP_QUESTIONS = {
    "engineer": (_("Did the engineer solve the problem?"),),
    "rnd": (_("What did R&D answer to the work contact letter?"),),
    "call_back": (_("Is the customer's problem solved?"),),
}
"""What a step's answer records when the vertical names no questions of its own."""
STEP_NAMES = {"engineer": _("the engineer"), "rnd": _("R&D"), "call_back": _("a call back")}
"""How the timeline names a step."""


def answer_facts(followup: FollowUp, answers: tuple[str, ...], *, problem: bool, comment: str,
                 now: datetime, csat: int | None = None) -> FollowUpAnswer:
    """The answered follow-up as the vertical sees it, with the score given (a low one may be called back)."""
    return FollowUpAnswer(plan_name=followup.plan_name, answers=dict(zip(followup.questionnaire, answers, strict=False)),
                          problem_reported=problem, answered_at=now, routing=tuple(followup.routing or ()),
                          comment=comment, csat=csat)


async def route_answered(session: AsyncSession, tenant: CurrentTenant, followup: FollowUp, answer: FollowUpAnswer, *,
                         actor: str, now: datetime) -> FollowUp | None:
    """Ask the vertical where ``followup`` goes next, record it, and schedule the step; :return: the step
    scheduled, or None when the follow-up is closed."""
    routing = _vertical_routing(tenant, answer)
    if routing.step != "close" and len(answer.routing) >= MAX_STEPS:
        routing = FollowUpRouting("close", _("closed after {steps} steps", steps=MAX_STEPS))
    followup.routed_to, followup.routing_reason = routing.step, stored_text(routing.reason)
    step = None
    if routing.step != "close":
        step = FollowUp(
            customer_id=followup.customer_id, request_id=followup.request_id,
            registration_id=followup.registration_id, source_event=f"routed:{followup.id}",
            event_kind=followup.event_kind, event_at=now, plan_name=followup.plan_name, channel="call",
            questionnaire=list(routing.questionnaire if routing.questionnaire is not None
                               else STEP_QUESTIONS[routing.step]),
            after={}, repeat_every=None, repeat_count=None, occurrence=1,
            due_at=max(routing.due_at or now, now), status="scheduled", created_at=now, step=routing.step,
            routed_from_id=followup.id, routing=[*answer.routing, routing.step],
            assignee_id=await _engineer(session, followup) if routing.step == "engineer" else None,
        )
        session.add(step)
    if followup.request_id is not None and (step is not None or answer.routing):
        session.add(RequestEvent(request_id=followup.request_id, occurred_at=now, actor=actor, kind="note",
                                 note=_timeline_note(followup.plan_name, routing)))
    await session.flush()
    return step


def _timeline_note(plan_name: str, routing: FollowUpRouting) -> str:
    """What the request's timeline says of the routing: a sentence with the vertical's reason as its phrase."""
    plan = plan_name.replace("_", " ")
    if routing.step == "close":
        return _("the {plan} follow-up was closed: {reason}", plan=plan, reason=routing.reason)
    return _("the {plan} follow-up was routed to {step}: {reason}", plan=plan, step=STEP_NAMES[routing.step],
             reason=routing.reason)


def _vertical_routing(tenant: CurrentTenant, answer: FollowUpAnswer) -> FollowUpRouting:
    """The vertical's routing of ``answer``; when its rules are failing (the guard logged it with an error id),
    the core default's, so the customer's answers are kept and a reported problem is still called back."""
    try:
        routing = tenant.hooks.aftersales_followup_answered(tenant=tenant.context, answer=answer)
    except (PluginFailed, VerticalUnavailable):
        routing = None
    return routing if isinstance(routing, FollowUpRouting) else defaults.aftersales_followup_answered(
        tenant=tenant.context, answer=answer)


def reason_of(followup: FollowUp) -> str | None:
    """Why an answered follow-up was routed where it went, as the vertical said it."""
    return loaded_text(followup.routing_reason) if followup.routing_reason is not None else None


async def _engineer(session: AsyncSession, followup: FollowUp) -> UUID | None:
    """The active engineer of the problem's request, else of the request followed up (seed 004), if any."""
    for request_id in (followup.problem_request_id, followup.request_id):
        if request_id is None:
            continue
        request = await session.scalar(select(ServiceRequest).where(ServiceRequest.id == request_id))
        if request is not None and request.assignee_id is not None:
            engineer = await session.scalar(select(StaffUser.id).where(StaffUser.id == request.assignee_id,
                                                                       StaffUser.active.is_(True)))
            if engineer is not None:
                return engineer
    return None

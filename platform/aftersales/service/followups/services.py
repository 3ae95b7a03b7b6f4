"""Follow-ups: calls, messages and surveys scheduled after service events, and the answers they bring back.

An event (a request closed, a repair ready, an installation done, a training signed off) is recorded with
:func:`record_service_event`; the tenant's plugins answer ``aftersales_followups`` with plans, and the first
occurrence of each plan is scheduled ``after`` the event. Requests record their own events as they move
(:func:`on_request_moved`, called by ``move_request``):

* a request reaching a final state other than ``cancelled`` → ``request_closed`` (the satisfaction survey);
* a ``repair`` request reaching ``ready`` → ``repaired`` (the repair works; a call 3 days later for Golden
  Laser). Sent back into repair before its call, the call is cancelled; ready again, it is due from then;
* an ``installation`` request reaching ``ready``, or closing without passing ``ready`` → ``installed``:
  ``ready`` is the state in which the unit works, and an installation closed straight from ``received``
  was installed too. The event is keyed by the request, so the two paths never record it twice.

Answers are stored on the follow-up; a problem they report opens a new request for the same customer and unit
(assigned to the engineer of the request followed up, seed 004), linked from the follow-up and noted on the
followed-up request's timeline. The vertical then routes the answered follow-up to its next step
(:mod:`aftersales.service.followups.routing`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.values import FollowUpPlan, ServiceEvent
from aftersales.errors import Conflict, FieldError, InvalidInput, NotFound, PluginFailed, VerticalUnavailable
from aftersales.identity.customers import CustomerDetails
from aftersales.identity.models import Customer, StaffUser
from aftersales.service.followups import failures, routing
from aftersales.service.followups.models import FollowUp, TrainingSignOff
from aftersales.service.models import RequestEvent, ServiceRequest
from aftersales.service.requests import services as requests
from aftersales.service.requests.events import RequestMove
from aftersales.service.states import FINAL, RequestState
from aftersales.tenancy.current import CurrentTenant
from aftersales.warranty.catalog import product_info
from aftersales.warranty.registrations.installation import record_training_sign_off
from aftersales.warranty.registrations.services import get_registration

CSAT_RANGE = range(1, 6)
MAX_ANSWER = 2000
MAX_COMMENT = 4000
MAX_SIGNER = 200
SURVEY_CHANNELS = ("portal", "sms", "email")
"""Follow-ups the customer answers themselves; a ``call`` is answered by the agent who makes it."""
SURVEY_STATUSES = ("sent", "answered")
"""A survey is the customer's to answer once it is sent, and stays on their list once answered."""
ANSWERABLE = ("scheduled", "sent", "missed")
"""An agent may record a call made early, on time, or after it was given up as missed."""
_FIELDS = ("years", "months", "days", "hours", "minutes", "seconds")


# -- durations ------------------------------------------------------------------------------------------------

def as_fields(delta: timedelta | relativedelta) -> dict[str, int]:
    """A plan's ``after`` or ``repeat_every`` as the non-zero relativedelta fields it stores (``{"months": 3}``)."""
    if isinstance(delta, timedelta):
        delta = relativedelta(days=delta.days, seconds=delta.seconds)
    delta = delta.normalized()
    if delta.microseconds:
        raise ValueError(f"{delta!r}: follow-ups are scheduled to the second")
    return {name: int(getattr(delta, name)) for name in _FIELDS if getattr(delta, name)}


def shift(at: datetime, fields: dict[str, int], zone: ZoneInfo) -> datetime:
    """``at`` moved by ``fields``: years, months and days on the tenant's calendar (30 Nov + 3 months is the
    last day of February *there*, whatever the UTC date), hours and smaller as elapsed time."""
    calendar = relativedelta(**{k: v for k, v in fields.items() if k in ("years", "months", "days")})
    clock = timedelta(**{k: v for k, v in fields.items() if k in ("hours", "minutes", "seconds")})
    local = at.astimezone(zone) + calendar
    return local.astimezone(UTC) + clock


def due_of(followup: FollowUp, occurrence: int, zone: ZoneInfo) -> datetime:
    """When ``occurrence`` (1-based) of the follow-up's plan is due: the event + after + (n-1) × repeat_every,
    counted from the event so month lengths never drift (31 Jan, 28 Feb, 31 Mar …)."""
    total = relativedelta(**followup.after)
    if occurrence > 1 and followup.repeat_every:
        total += relativedelta(**followup.repeat_every) * (occurrence - 1)
    return shift(followup.event_at, as_fields(total), zone)


# -- scheduling -----------------------------------------------------------------------------------------------

def source_key(event_kind: str, *, request_id: UUID | None, registration_id: UUID | None,
               customer_id: UUID) -> str:
    """What makes an event the same event when recorded again: its kind and what it happened to."""
    if request_id is not None:
        return f"{event_kind}:request:{request_id}"
    if registration_id is not None:
        return f"{event_kind}:registration:{registration_id}"
    return f"{event_kind}:customer:{customer_id}"


def plans_for(tenant: CurrentTenant, event: ServiceEvent) -> list[FollowUpPlan]:
    """The plans of every enabled plugin for ``event``, one per name: a vertical's plan comes before the core
    default (registered trylast), so a vertical may replace the core's survey by naming its own the same."""
    chosen: dict[str, FollowUpPlan] = {}
    for plans in tenant.hooks.aftersales_followups(tenant=tenant.context, event=event):
        for plan in plans or ():
            chosen.setdefault(plan.name, plan)
    return list(chosen.values())


async def record_service_event(session: AsyncSession, tenant: CurrentTenant, event: ServiceEvent, *,
                               customer_id: UUID, request_id: UUID | None = None,
                               registration_id: UUID | None = None, now: datetime) -> list[FollowUp]:
    """Schedule the first occurrence of every plan the tenant's plugins give for ``event``.

    Recording the same event again schedules nothing new; a plan whose occurrence was cancelled (the event was
    undone) is scheduled again from this event's time. A plugin failing to give the plans never fails the
    caller (the move, sign-off or sale goes through): the event is kept for the worker to plan again
    (:mod:`aftersales.service.followups.failures`) and nothing is scheduled now.
    :return: the follow-ups scheduled now.
    """
    key = source_key(event.kind, request_id=request_id, registration_id=registration_id, customer_id=customer_id)
    try:
        plans = plans_for(tenant, event)
    except (PluginFailed, VerticalUnavailable) as error:
        await failures.note_failure(session, error, source_event=key, event_kind=event.kind,
                                    event_at=event.occurred_at, customer_id=customer_id, request_id=request_id,
                                    registration_id=registration_id, now=now)
        return []
    return await schedule_plans(session, tenant, event, plans, source_event=key, customer_id=customer_id,
                                request_id=request_id, registration_id=registration_id, now=now)


async def schedule_plans(session: AsyncSession, tenant: CurrentTenant, event: ServiceEvent,
                         plans: list[FollowUpPlan], *, source_event: str, customer_id: UUID,
                         request_id: UUID | None, registration_id: UUID | None, now: datetime) -> list[FollowUp]:
    """Schedule the first occurrence of each of ``plans`` for the event ``source_event`` (once per plan)."""
    key = source_event
    zone = tenant.calendar.zone
    scheduled = []
    for plan in plans:
        existing = await session.scalar(select(FollowUp).where(
            FollowUp.source_event == key, FollowUp.plan_name == plan.name, FollowUp.occurrence == 1))
        if existing is not None:
            if existing.status == "cancelled":
                existing.event_at, existing.status, existing.status_reason = event.occurred_at, "scheduled", ""
                existing.due_at = due_of(existing, 1, zone)
                scheduled.append(existing)
            continue
        followup = FollowUp(
            customer_id=customer_id, request_id=request_id, registration_id=registration_id, source_event=key,
            event_kind=event.kind, event_at=event.occurred_at, plan_name=plan.name, channel=plan.channel,
            questionnaire=list(plan.questionnaire), after=as_fields(plan.after),
            repeat_every=as_fields(plan.repeat_every) if plan.repeat_every is not None else None,
            repeat_count=plan.repeat_count, occurrence=1, status="scheduled", created_at=now,
        )
        followup.due_at = due_of(followup, 1, zone)
        if await _insert_once(session, followup):
            scheduled.append(followup)
    await session.flush()
    return scheduled


async def _insert_once(session: AsyncSession, followup: FollowUp) -> bool:
    """Insert unless a concurrent recording of the same event got there first (the unique key decides)."""
    try:
        async with session.begin_nested():
            session.add(followup)
            await session.flush()
    except IntegrityError:
        return False
    return True


async def request_event(session: AsyncSession, request: ServiceRequest, kind: str, at: datetime) -> ServiceEvent:
    """The event as plugins see it: its kind and time, the request's kind and the unit's model."""
    product = None
    if request.registration_id is not None:
        product = product_info((await get_registration(session, request.registration_id)).model)
    return ServiceEvent(kind=kind, occurred_at=at, request_kind=request.kind, product=product)  # type: ignore[arg-type]


async def record_request_event(session: AsyncSession, tenant: CurrentTenant, request: ServiceRequest, kind: str,
                               now: datetime) -> list[FollowUp]:
    """Record ``kind`` as having happened to ``request`` at ``now``."""
    return await record_service_event(session, tenant, await request_event(session, request, kind, now),
                                      customer_id=request.customer_id, request_id=request.id,
                                      registration_id=request.registration_id, now=now)


def events_of_move(kind: str, current: RequestState, target: RequestState) -> list[str]:
    """The service events a request of ``kind`` moving from ``current`` to ``target`` records."""
    events = []
    if target == RequestState.READY and kind == "repair":
        events.append("repaired")
    if kind == "installation" and (target == RequestState.READY or
                                   (target in FINAL - {RequestState.CANCELLED} and current != RequestState.READY)):
        events.append("installed")
    if target in FINAL - {RequestState.CANCELLED}:
        events.append("request_closed")
    return events


async def on_request_moved(move: RequestMove) -> None:
    """Record the events of a move; a repaired unit sent back into repair cancels its unmade calls.

    Subscribed to every request's *moved* (:mod:`aftersales.service.requests.events`)."""
    session, tenant, request, current, target, now = (move.session, move.tenant, move.request, move.current,
                                                       move.target, move.now)
    if current == RequestState.READY and target == RequestState.IN_REPAIR:
        key = source_key("repaired", request_id=request.id, registration_id=None, customer_id=request.customer_id)
        for followup in await session.scalars(select(FollowUp).where(FollowUp.source_event == key,
                                                                     FollowUp.status == "scheduled")):
            followup.status, followup.status_reason = "cancelled", "the unit went back into repair"
        await failures.undone(session, key, now)
    for kind in events_of_move(request.kind, current, target):
        await record_request_event(session, tenant, request, kind, now)


async def sign_off_training(session: AsyncSession, tenant: CurrentTenant, request_id: UUID, *, signed_by: str,
                            note: str, actor: str, now: datetime) -> tuple[TrainingSignOff, list[FollowUp]]:
    """Record the customer's signature on an installation's training and the ``training_signed_off`` event;
    returns the sign-off and the follow-ups it scheduled. The request's unit gets the sign-off date on its
    registration and its warranty decided again (``SaleInfo.training_signed_off_on``).

    :raises InvalidInput: no signer. :raises Conflict: not an installation, an ended request, or signed already.
    """
    signer, note = signed_by.strip(), note.strip()
    if not signer or len(signer) > MAX_SIGNER:
        raise InvalidInput("the sign-off cannot be recorded", [FieldError(
            "signed_by", f"give the name of the customer who signed (at most {MAX_SIGNER} characters)")])
    if len(note) > MAX_COMMENT:
        raise InvalidInput("the sign-off cannot be recorded",
                           [FieldError("note", f"must be at most {MAX_COMMENT} characters")])
    request = await requests.get_request(session, request_id)
    if request.kind != "installation":
        raise Conflict(f"request #{request.number} is a {request.kind}; only an installation has a training to sign off")
    if RequestState(request.state) in FINAL:
        raise Conflict(f"the request is {request.state}; the training is signed off before the request ends")
    if await session.scalar(select(TrainingSignOff).where(TrainingSignOff.request_id == request.id)) is not None:
        raise Conflict(f"the training of request #{request.number} is already signed off")
    signoff = TrainingSignOff(request_id=request.id, signed_by=signer, signed_at=now, note=note, recorded_by=actor)
    session.add(signoff)
    session.add(RequestEvent(request_id=request.id, occurred_at=now, actor=actor, kind="training_signed",
                             note=f"training signed off by {signer}" + (f": {note}" if note else "")))
    await session.flush()
    if request.registration_id is not None:  # the warranty is decided again: some start at the sign-off
        await record_training_sign_off(session, tenant, request.registration_id,
                                       now.astimezone(tenant.calendar.zone).date(), now=now)
    return signoff, await record_request_event(session, tenant, request, "training_signed_off", now)


# -- answers --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Answers:
    """What came back from a follow-up: the questionnaire's answers, a CSAT score, a comment, a problem."""

    answers: tuple[str, ...] = ()
    csat: int | None = None
    comment: str = ""
    problem: str | None = None
    """The problem the customer reported, in their words; it opens a new request."""


async def get_followup(session: AsyncSession, followup_id: UUID) -> FollowUp:
    """:raises NotFound: when the session's tenant has no such follow-up."""
    followup = await session.scalar(select(FollowUp).where(FollowUp.id == followup_id))
    if followup is None:
        raise NotFound("no such follow-up")
    return followup


async def surveys_of_customer(session: AsyncSession, customer_id: UUID) -> list[FollowUp]:
    """The surveys sent to the customer, those waiting for an answer first, then newest first."""
    found = list(await session.scalars(
        select(FollowUp).where(FollowUp.customer_id == customer_id, FollowUp.channel.in_(SURVEY_CHANNELS),
                               FollowUp.status.in_(SURVEY_STATUSES))
        .order_by(FollowUp.due_at.desc(), FollowUp.id)))
    return sorted(found, key=lambda f: f.status != "sent")


def check_answers(followup: FollowUp, given: Answers, *, csat_required: bool) -> list[FieldError]:
    """Every broken rule of ``given`` for ``followup``."""
    errors = []
    if given.answers and len(given.answers) != len(followup.questionnaire):
        errors.append(FieldError("answers", f"answer each of the {len(followup.questionnaire)} questions, in order"))
    errors += [FieldError(f"answers.{i}", f"must be at most {MAX_ANSWER} characters")
               for i, answer in enumerate(given.answers) if len(answer) > MAX_ANSWER]
    if given.csat is None and csat_required:
        errors.append(FieldError("csat", "give a score from 1 to 5"))
    elif given.csat is not None and given.csat not in CSAT_RANGE:
        errors.append(FieldError("csat", "must be from 1 (very dissatisfied) to 5 (very satisfied)"))
    if len(given.comment) > MAX_COMMENT:
        errors.append(FieldError("comment", f"must be at most {MAX_COMMENT} characters"))
    if given.problem is not None and not given.problem.strip():
        errors.append(FieldError("problem.summary", "say what the problem is"))
    elif given.problem is not None and len(given.problem) > MAX_COMMENT:
        errors.append(FieldError("problem.summary", f"must be at most {MAX_COMMENT} characters"))
    if not (given.answers or given.csat is not None or given.comment.strip() or given.problem):
        errors.append(FieldError("answers", "record at least one answer, a score, a comment or a problem"))
    return errors


async def record_answers(session: AsyncSession, tenant: CurrentTenant, followup: FollowUp, given: Answers, *,
                         actor: str, channel: str, now: datetime, csat_required: bool = False) -> FollowUp:
    """Store the answers; a reported problem opens a new request on ``channel`` (how the customer answered),
    except on a routed step (its problem has its request already); then route the answered follow-up
    (:mod:`aftersales.service.followups.routing`).

    :raises InvalidInput: every broken rule at once, nothing written. :raises Conflict: answered or cancelled.
    """
    if followup.status not in ANSWERABLE:
        raise Conflict(f"this follow-up is {followup.status}; it takes no more answers")
    errors = check_answers(followup, given, csat_required=csat_required)
    if errors:
        raise InvalidInput("the answers cannot be recorded", errors)
    followup.answers, followup.csat, followup.comment = list(given.answers), given.csat, given.comment.strip()
    followup.status, followup.answered_at, followup.answered_by = "answered", now, actor
    if given.problem is not None and followup.step is None:
        followup.problem_request_id = (await _open_problem(session, tenant, followup, given.problem.strip(),
                                                           actor=actor, channel=channel, now=now)).id
    await session.flush()
    await routing.route_answered(session, tenant, followup, routing.answer_facts(
        followup, given.answers, problem=given.problem is not None, comment=followup.comment, now=now,
        csat=given.csat),
        actor=actor, now=now)
    return followup


async def _open_problem(session: AsyncSession, tenant: CurrentTenant, followup: FollowUp, problem: str, *,
                        actor: str, channel: str, now: datetime) -> ServiceRequest:
    """A request for the problem: a repair when there is a unit, else an inquiry; routed to the engineer of
    the request followed up when there is one (seed 004: to the service/training engineer)."""
    label = followup.plan_name.replace("_", " ")
    customer = await session.scalar(select(Customer).where(Customer.id == followup.customer_id))
    assert customer is not None
    opened = await requests.open_request(session, tenant, requests.NewRequest(
        kind="repair" if followup.registration_id else "inquiry", channel=channel,
        summary=f"{problem}\n\n(reported on the {label} follow-up)", registration_id=followup.registration_id,
        customer=None if followup.registration_id else CustomerDetails(
            name=customer.name, phone=customer.phone, email=customer.email),
    ), actor=actor, now=now)
    if followup.request_id is not None:
        source = await requests.get_request(session, followup.request_id)
        session.add(RequestEvent(request_id=source.id, occurred_at=now, actor=actor, kind="note",
                                 note=f"the {label} follow-up found a problem: request #{opened.number} opened"))
        engineer = await session.scalar(select(StaffUser).where(StaffUser.id == source.assignee_id,
                                                                StaffUser.active.is_(True)))
        if engineer is not None:
            await requests.assign_request(session, opened.id, engineer.id, actor=actor, now=now,
                                          note=f"to {engineer.name}, who served request #{source.number}")
    return opened



@dataclass(frozen=True)
class Satisfaction:
    """CSAT scores answered in a period: how many, their mean, and how many gave each score."""

    count: int
    average: float | None
    distribution: dict[int, int]


async def satisfaction(session: AsyncSession, *, since: datetime | None, until: datetime | None) -> Satisfaction:
    """The CSAT scores answered from ``since`` (inclusive) to ``until`` (exclusive)."""
    query = select(FollowUp.csat, func.count()).where(FollowUp.csat.is_not(None)).group_by(FollowUp.csat)
    if since is not None:
        query = query.where(FollowUp.answered_at >= since)
    if until is not None:
        query = query.where(FollowUp.answered_at < until)
    distribution = dict.fromkeys(CSAT_RANGE, 0)
    for score, count in (await session.execute(query)).all():
        distribution[score] = count
    total = sum(distribution.values())
    average = round(sum(s * c for s, c in distribution.items()) / total, 2) if total else None
    return Satisfaction(total, average, distribution)

"""Follow-up endpoints: the agents' call list and a call's answers, satisfaction figures, the customer's survey
link, and the training sign-off of an installation."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.db.base import utcnow
from aftersales.errors import FieldError, InvalidInput, NotFound
from aftersales.http.context import HOST_TENANT, TOKEN_TENANT, SessionDep, TenantDep
from aftersales.http.date_windows import check_filters
from aftersales.http.paging import DEFAULT_LIMIT, Page, check_limit, decode_cursor, invalid_cursor, split_page
from aftersales.identity.guards import actor, requires_scope
from aftersales.identity.models import Customer
from aftersales.identity.scopes import REQUESTS_READ, REQUESTS_WRITE
from aftersales.service.followups import failures
from aftersales.service.followups import services as service
from aftersales.service.followups.delivery import followup_by_token
from aftersales.service.followups.models import FollowUp
from aftersales.service.followups.schemas import (
    AnswersIn,
    CsatOut,
    FollowUpFailureOut,
    FollowUpOut,
    SignOffIn,
    SignOffOut,
    SurveyAnswerIn,
    SurveyOut,
    failure_out,
    followup_out,
    signoff_out,
)

Status = Literal["scheduled", "sent", "answered", "missed", "cancelled"]
Channel = Literal["call", "sms", "email", "portal"]
Step = Literal["engineer", "rnd", "call_back"]
CALL_ANSWER_CHANNEL = "phone"
"""A problem found on an agent's call is a request that came in by phone."""
LINK_ANSWER_CHANNEL = "portal"
"""A problem reported through a survey link came in through the web, as a portal request does."""


class FollowUpController(Controller):
    """A tenant's follow-ups; the list, earliest due first, is the agents' call list."""

    path = "/api/v1/followups"
    tags = ("service",)
    dependencies = TOKEN_TENANT

    @get("/", operation_id="listFollowUps", guards=[requires_scope(REQUESTS_READ)])
    async def list_followups(self, session: SessionDep,
                             in_status: Annotated[Status | None, QueryParameter(name="status")] = None,
                             channel: FromQuery[Channel | None] = None,
                             due_before: FromQuery[datetime | None] = None,
                             step: FromQuery[Step | None] = None,
                             assignee_id: FromQuery[UUID | None] = None,
                             limit: FromQuery[int] = DEFAULT_LIMIT,
                             cursor: FromQuery[str | None] = None) -> Page[FollowUpOut]:
        """Follow-ups earliest due first, optionally in one status, on one channel, due before a time, at one
        routed ``step`` or for one ``assignee_id``: ``status=sent&channel=call`` is the calls to make now,
        ``step=rnd`` the letters to R&D. Pass ``next_cursor`` back as ``cursor``."""
        check_filters(due_before=due_before)
        query = (select(FollowUp, Customer).join(Customer, and_(Customer.tenant_id == FollowUp.tenant_id,
                                                                Customer.id == FollowUp.customer_id))
                 .order_by(FollowUp.due_at, FollowUp.id).limit(check_limit(limit) + 1))
        if in_status is not None:
            query = query.where(FollowUp.status == in_status)
        if channel is not None:
            query = query.where(FollowUp.channel == channel)
        if step is not None:
            query = query.where(FollowUp.step == step)
        if assignee_id is not None:
            query = query.where(FollowUp.assignee_id == assignee_id)
        if due_before is not None:
            query = query.where(FollowUp.due_at < _aware(due_before, "due_before"))
        if cursor is not None:
            after_due, after_id = _page_key(cursor)
            query = query.where(or_(FollowUp.due_at > after_due,
                                    and_(FollowUp.due_at == after_due, FollowUp.id > after_id)))
        rows, next_cursor = split_page(list((await session.execute(query)).all()), limit,
                                       lambda row: (row[0].due_at.isoformat(), str(row[0].id)))
        return Page[FollowUpOut](items=[followup_out(f, c) for f, c in rows], next_cursor=next_cursor)

    @get("/csat", operation_id="getSatisfactionScores", guards=[requires_scope(REQUESTS_READ)])
    async def csat(self, session: SessionDep, since: FromQuery[datetime | None] = None,
                   until: FromQuery[datetime | None] = None) -> CsatOut:
        """CSAT answers from ``since`` (inclusive) to ``until`` (exclusive): count, mean and scores 1–5."""
        check_filters(since=since, until=until)
        figures = await service.satisfaction(
            session, since=_aware(since, "since") if since else None, until=_aware(until, "until") if until else None)
        return CsatOut(count=figures.count, average=figures.average,
                       distribution={str(score): n for score, n in figures.distribution.items()})

    @get("/failures", operation_id="listFollowUpFailures", guards=[requires_scope(REQUESTS_READ)])
    async def list_failures(self, session: SessionDep, resolved: FromQuery[bool] = False,
                            limit: FromQuery[int] = DEFAULT_LIMIT) -> list[FollowUpFailureOut]:
        """Events whose follow-ups a failing plugin could not plan (the worker retries them), the latest failed
        first: the plugin, the error id it was logged under, the reason, attempts and the next one.
        ``resolved=true`` lists those planned since too."""
        rows = await failures.failures(session, unresolved_only=not resolved, limit=check_limit(limit))
        return [failure_out(f) for f in rows]

    @get("/{followup_id:uuid}", operation_id="getFollowUp", guards=[requires_scope(REQUESTS_READ)])
    async def get_followup(self, followup_id: FromPath[UUID], session: SessionDep) -> FollowUpOut:
        """One follow-up with its questions and, once answered, its answers."""
        followup = await service.get_followup(session, followup_id)
        return followup_out(followup, await _customer(session, followup))

    @post("/{followup_id:uuid}/answers", operation_id="recordFollowUpAnswers", status_code=200,
          guards=[requires_scope(REQUESTS_WRITE)])
    async def answer(self, request: Request[Any, Any, Any], followup_id: FromPath[UUID], data: JSONBody[AnswersIn],
                     session: SessionDep, tenant: TenantDep) -> FollowUpOut:
        """Record a call's answers (one per question), a CSAT score 1–5 and a comment; a problem opens a new
        request for the same customer and unit, linked as ``problem_request_id`` (on a routed step it only says
        the problem persists). The vertical then routes it: ``routed_to`` and ``routing_reason``, and the next
        step is a new follow-up. 409 once answered."""
        followup = await service.get_followup(session, followup_id)
        given = service.Answers(answers=tuple(data.answers), csat=data.csat, comment=data.comment,
                                problem=data.problem.summary if data.problem else None)
        await service.record_answers(session, tenant, followup, given, actor=actor(request),
                                     channel=CALL_ANSWER_CHANNEL, now=utcnow())
        return followup_out(followup, await _customer(session, followup))


class TrainingSignOffController(Controller):
    """The customer's sign-off of the training given with an installation (seed 004)."""

    path = "/api/v1/requests"
    tags = ("service",)
    dependencies = TOKEN_TENANT

    @post("/{request_id:uuid}/training-signoff", operation_id="signOffTraining",
          guards=[requires_scope(REQUESTS_WRITE)])
    async def sign_off(self, request: Request[Any, Any, Any], request_id: FromPath[UUID], data: JSONBody[SignOffIn],
                       session: SessionDep, tenant: TenantDep) -> SignOffOut:
        """Record who signed the training off and when; the follow-ups it starts (Golden Laser: calls after
        3 days and 3 months) are scheduled and returned. 409 for a request that is not an open installation,
        or one signed off already."""
        signoff, scheduled = await service.sign_off_training(session, tenant, request_id, signed_by=data.signed_by,
                                                             note=data.note, actor=actor(request), now=utcnow())
        customers = {f.customer_id: await _customer(session, f) for f in scheduled}
        return signoff_out(signoff, [followup_out(f, customers[f.customer_id]) for f in scheduled])


class PublicSurveyController(Controller):
    """A customer's survey link (no account): the tenant from the path, the follow-up from the link's token."""

    path = "/api/v1/public/{tenant_slug:str}/surveys"
    tags = ("public",)
    dependencies = HOST_TENANT

    @get("/{token:str}", operation_id="getSurvey", exclude_from_auth=True)
    async def show(self, token: FromPath[str], session: SessionDep, tenant: TenantDep) -> SurveyOut:
        """The survey's questions and whether it was answered; never who it was sent to."""
        return _survey_out(tenant, await _by_token(session, token))

    @post("/{token:str}", operation_id="answerSurvey", status_code=200, exclude_from_auth=True)
    async def answer(self, token: FromPath[str], data: JSONBody[SurveyAnswerIn], session: SessionDep,
                     tenant: TenantDep) -> SurveyOut:
        """Answer with a CSAT score 1–5 (0 or 6: 422) and a comment, optionally a problem, which opens a request.
        A link answers once (409 after)."""
        followup = await _by_token(session, token)
        given = service.Answers(answers=tuple(data.answers), csat=data.csat, comment=data.comment,
                                problem=data.problem.summary if data.problem else None)
        await service.record_answers(session, tenant, followup, given, actor=f"customer:{followup.customer_id}",
                                     channel=LINK_ANSWER_CHANNEL, now=utcnow(), csat_required=True)
        return _survey_out(tenant, followup)


async def _by_token(session: AsyncSession, token: str) -> FollowUp:
    followup = await followup_by_token(session, token)
    if followup is None:
        raise NotFound("no such survey")
    return followup


def _survey_out(tenant: Any, followup: FollowUp) -> SurveyOut:
    company = tenant.record.branding.get("display_name") or tenant.record.name
    return SurveyOut(company=company, questions=list(followup.questionnaire),
                     answered=followup.status == "answered")


async def _customer(session: AsyncSession, followup: FollowUp) -> Customer | None:
    return await session.scalar(select(Customer).where(Customer.id == followup.customer_id))


def _aware(value: datetime, field: str) -> datetime:
    """:raises InvalidInput: a time without a UTC offset (which instant it means is unknown)."""
    if value.tzinfo is None:
        raise InvalidInput("invalid time", [FieldError(field, "give a UTC offset, e.g. 2026-12-01T00:00:00Z")])
    return value


def _page_key(cursor: str) -> tuple[datetime, UUID]:
    due, followup_id = decode_cursor(cursor, 2)
    try:
        return _aware(datetime.fromisoformat(due), "cursor"), UUID(followup_id)
    except (TypeError, ValueError, InvalidInput):
        raise invalid_cursor() from None

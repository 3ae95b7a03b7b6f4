"""Sending due follow-ups (a worker job), the customer's answer link, and the next occurrence of repeated plans.

The worker calls :func:`send_due_followups` for each active tenant. Due follow-ups are found through the partial
index ``ix_followups_due`` and locked ``FOR UPDATE SKIP LOCKED`` on PostgreSQL; each is claimed with a
conditional UPDATE (``scheduled`` → ``sent``) in the transaction that queues its message and schedules its next
occurrence, so an occurrence is sent once however many workers run.

An answer link carries a token derived from the follow-up under the platform's code key (HMAC-SHA256), and the
table keeps only the token's SHA-256: a leaked database alone answers no survey, and the same link can be
rebuilt for a reminder or a portal page without storing a secret.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime
from typing import Any
from urllib.parse import quote
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.values import ServiceEvent
from aftersales.errors import PluginFailed, VerticalUnavailable
from aftersales.contract.text import stored_text
from aftersales.i18n.rendering import reader_format, render_all
from aftersales.identity.models import Customer
from aftersales.outbox.messages import Message, enqueue
from aftersales.runtime import Runtime
from aftersales.service.followups import failures
from aftersales.service.followups.models import FollowUp, FollowUpFailure
from aftersales.service.followups.services import due_of, plans_for, request_event, schedule_plans
from aftersales.service.requests import services as requests
from aftersales.tenancy.current import CurrentTenant, active_tenant
from aftersales.warranty.catalog import product_info
from aftersales.warranty.registrations.services import get_registration

SEND_LIMIT = 200
"""At most this many follow-ups are sent per tenant in one transaction."""
RETRY_LIMIT = 50
"""At most this many failed events are planned again per tenant in one pass."""
DEFAULT_REPEATS = 12
"""A repeated plan with no count and no warranty end to stop at runs this many times in all."""
LINKED_CHANNELS = ("sms", "email", "portal")
"""Channels the customer answers through a link; a call is answered by the agent who makes it."""


def survey_token(code_key: bytes, tenant_id: UUID, followup_id: UUID) -> str:
    """The token of a follow-up's answer link: the same every time it is derived, unguessable without the key."""
    digest = hmac.new(code_key, f"followup-survey\x00{tenant_id}\x00{followup_id}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()).decode().rstrip("=")


def token_hash(token: str) -> str:
    """What the table stores of a token, and what a submitted token is looked up by."""
    return hashlib.sha256(token.encode()).hexdigest()


LINK_PATH = "/surveys"
"""The survey link's page under a tenant's base path (``web/account/public_survey.py``); integrators use the JSON
route ``/api/v1/public/{slug}/surveys/{token}`` with the same token."""


async def followup_by_token(session: AsyncSession, token: str) -> FollowUp | None:
    """The follow-up a survey link's ``token`` opens in the session's tenant, or None."""
    return await session.scalar(select(FollowUp).where(FollowUp.token_hash == token_hash(token)))


def answer_link(base_url: str, tenant_slug: str, token: str, locale: str | None = None) -> str:
    """The page a customer opens (GET: the questions) and answers at (POST), in ``locale`` when given (the
    customer's language; the page falls back to the tenant's choice when it does not offer it)."""
    link = f"{base_url.rstrip('/')}/t/{tenant_slug}{LINK_PATH}/{token}"
    return f"{link}?lang={quote(locale)}" if locale else link


async def send_due_followups(runtime: Runtime, tenant_id: UUID, now: datetime) -> int:
    """Send every follow-up of ``tenant_id`` due by ``now`` (up to :data:`SEND_LIMIT`); returns how many."""
    tenant = await active_tenant(runtime.db, runtime.plugins, tenant_id)
    if tenant is None:
        return 0
    async with runtime.db.transaction(tenant_id) as session:
        due = (await session.scalars(
            select(FollowUp).where(FollowUp.status == "scheduled", FollowUp.due_at <= now)
            .order_by(FollowUp.due_at, FollowUp.id).limit(SEND_LIMIT)
            .with_for_update(skip_locked=True)
        )).all()
        sent = 0
        for followup in due:
            if await _claim(session, followup, now):
                await _deliver(session, runtime, tenant, followup, now)
                await _schedule_next(session, tenant, followup, now)
                sent += 1
    return sent


async def _claim(session: AsyncSession, followup: FollowUp, now: datetime) -> bool:
    """Mark the occurrence sent unless another worker already did: the one place sending once is decided."""
    result = await session.execute(
        update(FollowUp).where(FollowUp.id == followup.id, FollowUp.status == "scheduled")
        .values(status="sent", sent_at=now).execution_options(synchronize_session=False))
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return False
    followup.status, followup.sent_at = "sent", now
    return True


async def _deliver(session: AsyncSession, runtime: Runtime, tenant: CurrentTenant, followup: FollowUp,
                   now: datetime) -> None:
    """A call goes on the agents' list and a portal survey to the customer's portal as they are (``sent``);
    an SMS or e-mail is queued with the questions and the answer link."""
    await _give_up_earlier(session, followup)
    if followup.channel not in LINKED_CHANNELS:
        return
    token = survey_token(runtime.code_key, tenant.record.id, followup.id)
    followup.token_hash = token_hash(token)
    if followup.channel == "portal":
        return
    customer = await session.scalar(select(Customer).where(Customer.id == followup.customer_id))
    assert customer is not None
    channel, recipient = _route(followup.channel, customer)
    if recipient is None:
        followup.status, followup.status_reason = "missed", "the customer has no phone number or e-mail address"
        return
    link = answer_link(runtime.settings.base_url, tenant.record.slug, token, customer.locale)
    company = tenant.record.branding.get("display_name") or tenant.record.name
    reader = reader_format(customer.locale or tenant.record.default_locale,
                           irr_as_toman=bool(tenant.record.branding.get("irr_as_toman", False)))
    asked = render_all(followup.questionnaire, reader)
    questions = "\n".join(f"{i}. {q}" for i, q in enumerate(asked, start=1))
    await enqueue(session, Message(
        channel=channel, recipient=recipient, event="followup.survey", key=f"followup:{followup.id}",
        subject=f"{company}: how did we do?",
        body=f"{company} would like to hear from you.\n{questions}\nAnswer here: {link}",
        payload={"followup_id": str(followup.id), "plan": followup.plan_name, "link": link,
                 "questions": asked, "question_messages": [stored_text(q) for q in followup.questionnaire]},
    ), now=now)
    if channel != followup.channel:
        followup.status_reason = f"sent by {channel}: the customer has no {_NAMES[followup.channel]}"


_NAMES = {"sms": "phone number", "email": "e-mail address"}


def _route(channel: str, customer: Customer) -> tuple[str, str | None]:
    """The plan's channel when the customer can be reached on it, else the other one."""
    by_channel = {"sms": customer.phone, "email": customer.email}
    if by_channel[channel]:
        return channel, by_channel[channel]
    other = "email" if channel == "sms" else "sms"
    return other, by_channel[other]


async def _give_up_earlier(session: AsyncSession, followup: FollowUp) -> None:
    """Earlier occurrences of a repeated plan still unanswered are missed: the next one has come."""
    if followup.occurrence == 1:
        return
    for earlier in await session.scalars(select(FollowUp).where(
            FollowUp.source_event == followup.source_event, FollowUp.plan_name == followup.plan_name,
            FollowUp.occurrence < followup.occurrence, FollowUp.status == "sent")):
        earlier.status, earlier.status_reason = "missed", "not answered before the next occurrence"


async def _schedule_next(session: AsyncSession, tenant: CurrentTenant, followup: FollowUp, now: datetime) -> None:
    """Schedule occurrence n + 1 of a repeated plan: up to ``repeat_count`` in all, else while the unit's
    warranty runs on the due day, else up to :data:`DEFAULT_REPEATS`."""
    if not followup.repeat_every:
        return
    following = followup.occurrence + 1
    due = due_of(followup, following, tenant.calendar.zone)
    if followup.repeat_count is not None:
        if following > followup.repeat_count:
            return
    else:
        coverage = (await get_registration(session, followup.registration_id)).coverage \
            if followup.registration_id is not None else None
        if coverage is not None:
            if due.astimezone(tenant.calendar.zone).date() > coverage.warranty_end:
                return
        elif following > DEFAULT_REPEATS:
            return
    session.add(FollowUp(
        customer_id=followup.customer_id, request_id=followup.request_id, registration_id=followup.registration_id,
        source_event=followup.source_event, event_kind=followup.event_kind, event_at=followup.event_at,
        plan_name=followup.plan_name, channel=followup.channel, questionnaire=list(followup.questionnaire),
        after=dict(followup.after), repeat_every=dict(followup.repeat_every), repeat_count=followup.repeat_count,
        occurrence=following, due_at=due, status="scheduled", created_at=now,
    ))
    await session.flush()


async def retry_failed_followups(runtime: Runtime, tenant_id: UUID, now: datetime) -> int:
    """Job: plan again the events whose follow-ups a failing plugin could not plan (:mod:`.failures`); returns
    how many are planned now.

    The first event that fails again stops the pass for this tenant (its plugin still fails; the others wait
    for their own next attempt): its attempt is counted and kept, and then its error is raised, so the worker
    logs the tenant once per pass however many events wait.
    """
    tenant = await active_tenant(runtime.db, runtime.plugins, tenant_id)
    if tenant is None:
        return 0
    planned, failed = 0, None
    async with runtime.db.transaction(tenant_id) as session:
        for failure in await failures.due_failures(session, now, RETRY_LIMIT):
            event = await _event_of(session, failure)
            try:
                plans = plans_for(tenant, event)
            except (PluginFailed, VerticalUnavailable) as error:
                await failures.note_failure(
                    session, error, source_event=failure.source_event, event_kind=failure.event_kind,
                    event_at=failure.event_at, customer_id=failure.customer_id, request_id=failure.request_id,
                    registration_id=failure.registration_id, now=now)
                failed = error
                break
            await schedule_plans(session, tenant, event, plans, source_event=failure.source_event,
                                 customer_id=failure.customer_id, request_id=failure.request_id,
                                 registration_id=failure.registration_id, now=now)
            failures.resolved(failure, now)
            planned += 1
    if failed is not None:
        raise failed
    return planned


async def _event_of(session: AsyncSession, failure: FollowUpFailure) -> ServiceEvent:
    """The event as plugins saw it when it was recorded: its kind and time, the request's kind, the model."""
    if failure.request_id is not None:
        request = await requests.get_request(session, failure.request_id)
        return await request_event(session, request, failure.event_kind, failure.event_at)
    product = None
    if failure.registration_id is not None:
        product = product_info((await get_registration(session, failure.registration_id)).model)
    kind: Any = failure.event_kind  # one of ServiceEvent's kinds: it was one when recorded
    return ServiceEvent(kind=kind, occurred_at=failure.event_at, product=product)

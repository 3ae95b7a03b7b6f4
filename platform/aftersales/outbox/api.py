"""Webhook endpoints (create, list, deactivate, send a test event), the event catalogue, and the outbox (list by
status, retry a failed message)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from aftersales.db.base import utcnow
from aftersales.http.context import TOKEN_TENANT, RuntimeDep, SessionDep
from aftersales.http.paging import DEFAULT_LIMIT, Page, check_limit, decode_cursor, invalid_cursor, split_page
from aftersales.identity.guards import actor, requires_scope
from aftersales.identity.scopes import NOTIFICATIONS_MANAGE
from aftersales.outbox import webhooks
from aftersales.outbox.events import CATALOGUE, json_schema
from aftersales.outbox.messages import retry_failed
from aftersales.outbox.models import OutboxMessage, WebhookEndpoint
from aftersales.outbox.secrets import secret_box

MANAGE = [requires_scope(NOTIFICATIONS_MANAGE)]


class EndpointIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(max_length=2000, description="https://…, or http:// to localhost")
    events: list[str] = Field(description="Event names of the catalogue (GET /api/v1/webhook-events) such as "
                                          "'sla.breached', or ['*'] for every event.")
    description: str = Field(default="", max_length=200)


class EndpointOut(BaseModel):
    id: uuid.UUID
    url: str
    events: list[str]
    description: str
    active: bool
    created_at: datetime
    deactivated_at: datetime | None


class CreatedEndpointOut(EndpointOut):
    secret: str = Field(description="Signs every delivery (Aftersales-Signature). Shown only this once.")


class OutboxMessageOut(BaseModel):
    id: uuid.UUID
    channel: str
    recipient: str
    event: str
    subject: str
    idempotency_key: str
    status: str
    attempts: int
    next_attempt_at: datetime
    last_error: str
    created_at: datetime
    delivered_at: datetime | None


class EventTypeOut(BaseModel):
    name: str = Field(description="What an endpoint subscribes to, e.g. 'request.opened'.")
    version: int = Field(description="The payload's version, also sent as data.version.")
    description: str
    json_schema: dict[str, Any] = Field(description="The JSON Schema (2020-12) of the body's data.")


def endpoint_out(e: WebhookEndpoint) -> EndpointOut:
    return EndpointOut(id=e.id, url=e.url, events=e.events, description=e.description, active=e.active,
                       created_at=e.created_at, deactivated_at=e.deactivated_at)


def message_out(m: OutboxMessage) -> OutboxMessageOut:
    return OutboxMessageOut(id=m.id, channel=m.channel, recipient=m.recipient, event=m.event, subject=m.subject,
                            idempotency_key=m.idempotency_key, status=m.status, attempts=m.attempts,
                            next_attempt_at=m.next_attempt_at, last_error=m.last_error, created_at=m.created_at,
                            delivered_at=m.delivered_at)


class WebhookController(Controller):
    """The tenant's webhook endpoints; deliveries are signed with each endpoint's secret."""

    path = "/api/v1/webhooks"
    tags = ["notifications"]
    dependencies = TOKEN_TENANT

    @post("/", operation_id="createWebhookEndpoint", guards=MANAGE)
    async def create(self, data: JSONBody[EndpointIn], session: SessionDep, runtime: RuntimeDep) -> CreatedEndpointOut:
        """Add an endpoint; the answer carries its signing secret, which is never shown again."""
        endpoint, secret = await webhooks.create_endpoint(
            session, secret_box(runtime.settings), url=data.url, events=data.events, description=data.description,
            now=utcnow(), allow_private=runtime.settings.webhook_private_targets)
        return CreatedEndpointOut(**endpoint_out(endpoint).model_dump(), secret=secret)

    @get("/", operation_id="listWebhookEndpoints", guards=MANAGE)
    async def list_endpoints(self, session: SessionDep) -> list[EndpointOut]:
        """Every endpoint, oldest first, deactivated ones included (without their secrets)."""
        return [endpoint_out(e) for e in await webhooks.list_endpoints(session)]

    @post("/{endpoint_id:uuid}/deactivation", operation_id="deactivateWebhookEndpoint", status_code=200,
          guards=MANAGE)
    async def deactivate(self, endpoint_id: FromPath[uuid.UUID], session: SessionDep) -> EndpointOut:
        """Stop sending to the endpoint; messages still queued for it fail as deactivated."""
        return endpoint_out(await webhooks.deactivate_endpoint(session, endpoint_id, now=utcnow()))

    @post("/{endpoint_id:uuid}/test", operation_id="sendWebhookTestEvent", status_code=202, guards=MANAGE)
    async def send_test(self, request: Request[Any, Any, Any], endpoint_id: FromPath[uuid.UUID],
                        session: SessionDep) -> OutboxMessageOut:
        """Queue a ``webhook.test`` event for the endpoint, whatever it subscribes to; the worker delivers it like
        any other event, and its outcome shows in the outbox and the console. A deactivated endpoint is a 409."""
        return message_out(await webhooks.send_test(session, endpoint_id, requested_by=actor(request),
                                                    now=utcnow()))


class WebhookEventController(Controller):
    """The event catalogue: every event an endpoint can subscribe to, with the JSON Schema of its payload.
    Public, so an integrator can read it before having credentials."""

    path = "/api/v1/webhook-events"
    tags = ["notifications"]

    @get("/", operation_id="listWebhookEventTypes")
    async def list_event_types(self) -> list[EventTypeOut]:
        """Every event of the catalogue, by name, with its payload version and schema."""
        return [EventTypeOut(name=name, version=event.version, description=" ".join((event.__doc__ or "").split()),
                             json_schema=json_schema(event))
                for name, event in sorted(CATALOGUE.items())]


class OutboxController(Controller):
    """What the tenant has sent or is sending: e-mail, SMS and webhooks, with their attempts."""

    path = "/api/v1/outbox"
    tags = ["notifications"]
    dependencies = TOKEN_TENANT

    @get("/", operation_id="listOutboxMessages", guards=MANAGE)
    async def list_messages(self, session: SessionDep,
                            in_status: Annotated[Literal["pending", "delivered", "failed"] | None,
                                                 QueryParameter(name="status")] = None,
                            limit: FromQuery[int] = DEFAULT_LIMIT,
                            cursor: FromQuery[str | None] = None) -> Page[OutboxMessageOut]:
        """Messages newest first, optionally in one status; pass ``next_cursor`` back as ``cursor``."""
        query = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(check_limit(limit) + 1)
        if in_status is not None:
            query = query.where(OutboxMessage.status == in_status)
        if cursor is not None:
            (before,) = decode_cursor(cursor, 1)
            try:
                query = query.where(OutboxMessage.id < uuid.UUID(str(before)))
            except ValueError:
                raise invalid_cursor() from None
        rows, next_cursor = split_page(list(await session.scalars(query)), limit, lambda m: (str(m.id),))
        return Page[OutboxMessageOut](items=[message_out(m) for m in rows], next_cursor=next_cursor)

    @post("/{message_id:uuid}/retry", operation_id="retryOutboxMessage", status_code=200, guards=MANAGE)
    async def retry(self, message_id: FromPath[uuid.UUID], session: SessionDep) -> OutboxMessageOut:
        """Queue a failed message again, with a fresh set of attempts; any other status is a 409."""
        return message_out(await retry_failed(session, message_id, now=utcnow()))

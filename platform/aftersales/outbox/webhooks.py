"""Webhook endpoints of a tenant, and turning an event into one outbox message per subscribed endpoint."""

from __future__ import annotations

import asyncio
import difflib
import ipaddress
import re
import socket
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from cryptography.fernet import Fernet
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.errors import Conflict, FieldError, InvalidInput, NotFound
from aftersales.outbox.events import CATALOGUE, Event, WebhookTest
from aftersales.outbox.messages import Message, enqueue
from aftersales.outbox.models import OutboxMessage, WebhookEndpoint
from aftersales.outbox.secrets import new_endpoint_secret

ALL_EVENTS = "*"
MAX_URL_LENGTH = 320
MAX_EVENTS = 50
MAX_EVENT_NAME = 60
"""Longer names are not compared with the catalogue's (no event name is near that long)."""
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
METADATA_HOSTS = frozenset({"metadata", "metadata.google.internal", "instance-data", "instance-data.ec2.internal"})
"""Names cloud providers give their instance metadata service (its credentials are what an attacker wants)."""
PRIVATE_DOMAINS = (".localhost", ".local", ".internal", ".intranet", ".lan", ".home.arpa", ".localdomain")
"""Special-use (RFC 6761, 6762, 8375) and private-use domains: never a public host."""
NUMERIC_HOST = re.compile(r"[0-9a-fx.]+")


async def url_problems(url: str, *, allow_private: bool) -> list[str]:
    """Why ``url`` cannot be an endpoint (empty when it can): https to a public host; with ``allow_private``
    (development, tests) also this machine and private networks, over plain http to localhost.

    A public host is one :func:`public_address` accepts and whose name, resolved now with the system's resolver,
    gives public addresses only. A name that does not resolve yet is accepted: it is resolved again before every
    delivery, which refuses it then if it points into a private network.
    """
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        return ["is not a URL"]
    problems = []
    if parts.scheme not in ("https", "http") or not host:
        problems.append("must be an https:// URL")
    elif parts.scheme == "http" and not (allow_private and host in LOCAL_HOSTS):
        problems.append("must use https" + (" (plain http is allowed for localhost only)" if allow_private else ""))
    if host and not allow_private and not (public_address(host) and await _resolves_publicly(host, parts.port)):
        problems.append("must reach a public host, not this machine or a private network")
    if parts.username or parts.password:
        problems.append("must not carry credentials; the signature authenticates the sender")
    if parts.fragment:
        problems.append("must not have a #fragment")
    if len(url) > MAX_URL_LENGTH:
        problems.append(f"must be at most {MAX_URL_LENGTH} characters")
    return problems


def public_address(host: str) -> bool:
    """False for a host that is this machine, a private network or a cloud's metadata service, as written: an IP
    literal that is not global in any form an HTTP client reads (``127.1``, ``0x7f000001``, ``2130706433``,
    ``0177.0.0.1``: the ``inet_aton`` forms), ``localhost`` and names under a special-use or internal domain
    (``foo.localhost``, ``printer.local``, ``metadata.google.internal``), with or without the final dot.
    True otherwise (a name must then also resolve to public addresses: :func:`url_problems`)."""
    name = host.strip("[]").rstrip(".").lower()
    address = _ip_literal(name)
    if address is not None:
        return address.is_global
    return not (name in LOCAL_HOSTS or name in METADATA_HOSTS or name.endswith(PRIVATE_DOMAINS) or not name)


def _ip_literal(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address ``host`` writes, read as the C resolver reads IPv4 (octal, hex, and 1 to 4 parts); else None."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if not NUMERIC_HOST.fullmatch(host):
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


async def _resolves_publicly(host: str, port: int | None) -> bool:
    """Whether every address ``host`` resolves to now is global (True when it does not resolve at all)."""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host.strip("[]"), port or 443, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return True
    return all(ipaddress.ip_address(str(address[0]).split("%")[0]).is_global for *_, address in infos)


def event_problems(events: Sequence[str]) -> list[FieldError]:
    """Every name that is not ``*`` or an event of the catalogue (:mod:`aftersales.outbox.events`), with the
    names it is close to (difflib); and a list that is empty or too long."""
    errors = [FieldError(f"events.{i}", _unknown_event(event))
              for i, event in enumerate(events) if event != ALL_EVENTS and event not in CATALOGUE]
    if not events or len(events) > MAX_EVENTS:
        errors.append(FieldError("events", f"must list 1 to {MAX_EVENTS} events"))
    return errors


def _unknown_event(name: str) -> str:
    close = difflib.get_close_matches(name, list(CATALOGUE), n=3, cutoff=0.6) if len(name) <= MAX_EVENT_NAME else []
    hint = f"did you mean {' or '.join(close)}?" if close else "see GET /api/v1/webhook-events for the catalogue"
    return f"is not an event; {hint}"


async def create_endpoint(session: AsyncSession, box: Fernet, *, url: str, events: Sequence[str],
                          description: str, now: datetime, allow_private: bool) -> tuple[WebhookEndpoint, str]:
    """A new active endpoint and its signing secret (the only time the secret is readable by the tenant).

    :raises InvalidInput: every bad field at once; nothing is written.
    """
    errors = [FieldError("url", problem) for problem in await url_problems(url, allow_private=allow_private)]
    errors += event_problems(events)
    if errors:
        raise InvalidInput("invalid webhook endpoint", errors)
    secret = new_endpoint_secret()
    endpoint = WebhookEndpoint(url=url, events=sorted(set(events)), description=description,
                               secret_encrypted=box.encrypt(secret.encode()).decode(), active=True, created_at=now)
    session.add(endpoint)
    await session.flush()
    return endpoint, secret


def endpoint_secret(box: Fernet, endpoint: WebhookEndpoint) -> str:
    return box.decrypt(endpoint.secret_encrypted.encode()).decode()


async def list_endpoints(session: AsyncSession) -> list[WebhookEndpoint]:
    """The tenant's endpoints, oldest first, deactivated ones included."""
    return list(await session.scalars(select(WebhookEndpoint).order_by(WebhookEndpoint.id)))


async def deactivate_endpoint(session: AsyncSession, endpoint_id: uuid.UUID, *, now: datetime) -> WebhookEndpoint:
    """Stop sending to an endpoint; messages already queued for it fail as "deactivated". Idempotent.

    :raises NotFound: no such endpoint in this tenant.
    """
    endpoint = await session.scalar(select(WebhookEndpoint).where(WebhookEndpoint.id == endpoint_id))
    if endpoint is None:
        raise NotFound("no such webhook endpoint")
    if endpoint.active:
        endpoint.active = False
        endpoint.deactivated_at = now
        await session.flush()
    return endpoint


async def emit(session: AsyncSession, event: Event, *, key: object, now: datetime) -> list[OutboxMessage]:
    """Queue ``event`` for every active endpoint of the session's tenant subscribed to it, in the caller's
    transaction, so it exists exactly when the change that caused it commits. ``key`` names the occurrence (a
    row id, an operation id): the same occurrence is queued once per endpoint.

    :raises ValueError: an event that is not in the catalogue (a caller's bug).
    """
    if CATALOGUE.get(event.name) is not type(event):
        raise ValueError(f"{type(event).__name__} is not an event of the catalogue")
    return await enqueue_event(session, event.name, event.data(), f"{event.name}:{key}", now=now)


async def enqueue_event(session: AsyncSession, event: str, payload: dict[str, Any], key: str, *,
                        now: datetime) -> list[OutboxMessage]:
    """Queue ``event`` for every active endpoint subscribed to it, in the caller's transaction.

    ``key`` names this occurrence of the event (e.g. ``sla.breached:<clock id>``); each endpoint's message gets
    ``<key>/<endpoint id>`` as its idempotency key, so calling again with the same key queues nothing new.
    Domain code calls :func:`emit`, which builds the payload from the catalogue's model.

    :raises ValueError: ``event`` is not in the catalogue.
    """
    if event not in CATALOGUE:
        raise ValueError(f"{event!r} is not an event of the catalogue")
    endpoints = await session.scalars(select(WebhookEndpoint).where(WebhookEndpoint.active.is_(True))
                                      .order_by(WebhookEndpoint.id))
    return [await _enqueue_for(session, endpoint, event, payload, key, now)
            for endpoint in endpoints if endpoint.subscribes_to(event)]


async def send_test(session: AsyncSession, endpoint_id: uuid.UUID, *, requested_by: str,
                    now: datetime) -> OutboxMessage:
    """Queue a ``webhook.test`` event for one endpoint, whatever it subscribes to; the worker delivers it like
    any other, so its outcome shows among the endpoint's deliveries.

    :raises NotFound: no such endpoint in this tenant. :raises Conflict: the endpoint is deactivated.
    """
    endpoint = await session.scalar(select(WebhookEndpoint).where(WebhookEndpoint.id == endpoint_id))
    if endpoint is None:
        raise NotFound("no such webhook endpoint")
    if not endpoint.active:
        raise Conflict("the webhook endpoint is deactivated; add a new one to send to")
    test = WebhookTest(endpoint_id=endpoint.id, requested_by=requested_by, requested_at=now)
    return await _enqueue_for(session, endpoint, test.name, test.data(), f"{test.name}:{uuid.uuid4()}", now)


async def _enqueue_for(session: AsyncSession, endpoint: WebhookEndpoint, event: str, payload: dict[str, Any],
                       key: str, now: datetime) -> OutboxMessage:
    return await enqueue(session, Message(channel="webhook", recipient=endpoint.url, event=event,
                                          key=f"{key}/{endpoint.id}", payload=payload, endpoint_id=endpoint.id),
                         now=now)


async def recent_deliveries(session: AsyncSession, endpoint_ids: Sequence[uuid.UUID], *,
                            per_endpoint: int) -> dict[uuid.UUID, list[OutboxMessage]]:
    """The newest ``per_endpoint`` messages queued for each endpoint (pending, delivered or failed)."""
    recent: dict[uuid.UUID, list[OutboxMessage]] = {endpoint_id: [] for endpoint_id in endpoint_ids}
    for endpoint_id in endpoint_ids:  # one short indexed query per endpoint; a tenant has a handful
        recent[endpoint_id] = list(await session.scalars(
            select(OutboxMessage).where(OutboxMessage.webhook_endpoint_id == endpoint_id)
            .order_by(OutboxMessage.id.desc()).limit(per_endpoint)))
    return recent

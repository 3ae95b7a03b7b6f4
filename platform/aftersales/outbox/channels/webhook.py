"""Webhooks: an event as JSON, POSTed to a tenant's endpoint and signed with the endpoint's secret.

Every request carries:

* ``Aftersales-Signature: t=<unix time>,v1=<hex>``, where ``v1`` is HMAC-SHA256 under the endpoint's secret of
  ``"<t>." + <the raw request body>``;
* ``Idempotency-Key``: the same on every attempt of one message (a receiver stores the keys it has handled and
  ignores a repeat);
* ``Aftersales-Event``: the event name, also in the body.

A receiver verifies by recomputing the HMAC over the exact bytes it received, comparing in constant time, and
refusing a ``t`` more than a few minutes from its own clock (so a captured request cannot be replayed later).
A 2xx answer means delivered; 408, 429 and 5xx (or no answer in time) are retried with back-off; any other 4xx
is permanent — the endpoint refused this message and will refuse it again. A redirect (3xx) is never followed (it
could lead past the address checks below, into the server's own network) and fails the message for good.

Unless private targets are allowed (development, tests), the endpoint's host is resolved before each request and
a message is refused for good when any address is not public: an endpoint registered under a public name that
later points into the server's own network is not posted to. (httpx resolves the name again to connect, so a
name flipped between the two lookups is not caught; pinning the address would need a custom transport.)
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import ipaddress
import json
import socket
import time
import uuid
from dataclasses import dataclass
from typing import Self
from urllib.parse import urlsplit

import httpx

from aftersales import __version__
from aftersales.outbox.channels import PermanentError, RetryableError
from aftersales.outbox.models import OutboxMessage

SIGNATURE_HEADER = "Aftersales-Signature"
TIMEOUT = httpx.Timeout(10.0, connect=5.0)
RETRIED_CLIENT_ERRORS = frozenset({408, 429})


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The ``Aftersales-Signature`` value for ``body`` sent at ``timestamp`` (seconds since the epoch)."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def webhook_body(message: OutboxMessage) -> bytes:
    """The JSON every attempt of ``message`` sends: the same bytes each time."""
    document = {"id": str(message.id), "event": message.event, "created_at": message.created_at.isoformat(),
                "data": message.payload}
    return json.dumps(document, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode()


@dataclass(frozen=True)
class WebhookTarget:
    """What the channel needs of an endpoint: where it is, the secret to sign with, whether it still listens."""

    url: str
    secret: str
    active: bool


class WebhookChannel:
    """POSTs webhook messages to their endpoints over one HTTP client (``async with`` closes it)."""

    def __init__(self, targets: dict[uuid.UUID, WebhookTarget], *, allow_private: bool = False) -> None:
        self.targets = targets
        self.allow_private = allow_private
        self.client = httpx.AsyncClient(timeout=TIMEOUT, follow_redirects=False,
                                        headers={"User-Agent": f"aftersales-webhooks/{__version__}"})

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.client.aclose()

    async def send(self, message: OutboxMessage) -> None:
        target = self.targets.get(message.webhook_endpoint_id) if message.webhook_endpoint_id else None
        if target is None or not target.active:
            raise PermanentError("the webhook endpoint was deactivated")
        if not self.allow_private:
            await _refuse_private(target.url)
        body = webhook_body(message)
        headers = {
            "Content-Type": "application/json",
            "Idempotency-Key": message.idempotency_key,
            "Aftersales-Event": message.event,
            SIGNATURE_HEADER: sign(target.secret, int(time.time()), body),
        }
        try:
            response = await self.client.post(target.url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            raise RetryableError(f"webhook not reached: {type(exc).__name__}: {exc}") from exc
        if response.is_success:
            return
        error = f"webhook answered {response.status_code} {response.reason_phrase}"
        if response.is_redirect:
            raise PermanentError(f"{error}; redirects are not followed: register the URL it points to")
        if response.is_client_error and response.status_code not in RETRIED_CLIENT_ERRORS:
            raise PermanentError(error)
        raise RetryableError(error)


async def _refuse_private(url: str) -> None:
    """:raises PermanentError: the URL's host resolves to an address that is not public.
    :raises RetryableError: the name does not resolve now."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, parts.port or 443, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise RetryableError(f"webhook host {host} does not resolve: {exc}") from exc
    for *_, address in infos:
        if not ipaddress.ip_address(address[0]).is_global:
            raise PermanentError(f"webhook host {host} resolves to {address[0]}, which is not a public address")

"""Delivery channels: e-mail over SMTP, SMS through a gateway, signed webhooks.

Every channel has one method, ``async send(message) -> None``: it returns when the receiver has the message,
raises :class:`RetryableError` when a later attempt may succeed (the receiver is down, busy or slow) and
:class:`PermanentError` when no attempt will (the address or the endpoint refuses it). Each attempt carries the
message's idempotency key, so a receiver that gets a message twice (a worker died after sending it, before
recording that it did) can tell.
"""

from __future__ import annotations

from typing import Protocol

from aftersales.outbox.models import OutboxMessage


class DeliveryError(Exception):
    """An attempt that did not deliver; the message says why, in words an operator can act on."""


class RetryableError(DeliveryError):
    """Try again later: the receiver may take the message then."""


class PermanentError(DeliveryError):
    """Give up: the receiver refused the message itself, and retrying would be refused the same way."""


class Channel(Protocol):
    """Delivers outbox messages of one channel (``email``, ``sms`` or ``webhook``)."""

    async def send(self, message: OutboxMessage) -> None:
        """Deliver ``message`` once. :raises RetryableError, PermanentError: it was not delivered."""
        ...

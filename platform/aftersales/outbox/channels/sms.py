"""SMS through a gateway interface, with a file gateway so a laptop demo works offline.

A real provider is one class with :meth:`SmsGateway.send`; the default, :class:`FileSmsGateway`, appends each
text as one JSON line to ``data_dir/sms/<tenant slug>.jsonl`` (what a demo shows instead of a phone buzzing).
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from aftersales.outbox.models import OutboxMessage


class SmsGateway(Protocol):
    """An SMS provider. ``idempotency_key`` goes in the provider's de-duplication field where it has one."""

    async def send(self, *, to: str, text: str, idempotency_key: str) -> None:
        """Send one text. :raises RetryableError, PermanentError: it was not sent."""
        ...


class FileSmsGateway:
    """Appends each text to a JSON-lines file, one file per tenant."""

    def __init__(self, path: Path) -> None:
        self.path = path

    async def send(self, *, to: str, text: str, idempotency_key: str) -> None:
        line = json.dumps({"to": to, "text": text, "idempotency_key": idempotency_key,
                           "sent_at": datetime.now(UTC).isoformat()}, ensure_ascii=False)
        await asyncio.to_thread(self._append, line + "\n")

    def _append(self, line: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as fh:  # one write of one line: appends never interleave
            fh.write(line)


def file_gateway_for(data_dir: Path, tenant_slug: str) -> FileSmsGateway:
    """The default gateway of a tenant: ``data_dir/sms/<slug>.jsonl``."""
    return FileSmsGateway(data_dir / "sms" / f"{tenant_slug}.jsonl")


class SmsChannel:
    """Sends an outbox message's body as a text to its recipient (an E.164 number) through a gateway."""

    def __init__(self, gateway: SmsGateway) -> None:
        self.gateway = gateway

    async def send(self, message: OutboxMessage) -> None:
        await self.gateway.send(to=message.recipient, text=message.body, idempotency_key=message.idempotency_key)

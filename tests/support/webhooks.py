"""``webhook_receiver``: a real HTTP endpoint, in a thread of the test process, that verifies each webhook's
signature the way docs/webhooks.md tells receivers to, and keeps what it received."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest

from aftersales.testing.network import serving


@dataclass
class Delivery:
    headers: dict[str, str]
    body: bytes
    signature_valid: bool

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class WebhookReceiver:
    """An HTTP endpoint that verifies each request as the webhook documentation says and answers with the
    statuses in ``answers`` (then 204)."""

    url: str
    secret: str = ""
    answers: list[int] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)
    tolerance_seconds: int = 300
    location: str | None = None
    """Sent as ``Location`` with every answer (a redirect's target)."""

    def verify(self, header: str, body: bytes) -> bool:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
        expected = hmac.new(self.secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
        fresh = abs(time.time() - timestamp) <= self.tolerance_seconds
        return fresh and hmac.compare_digest(expected, parts["v1"])


@pytest.fixture
def webhook_receiver() -> Iterator[WebhookReceiver]:
    receiver: WebhookReceiver

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            valid = receiver.verify(self.headers.get("Aftersales-Signature", "t=0,v1="), body)
            receiver.deliveries.append(Delivery(dict(self.headers), body, valid))
            status = receiver.answers.pop(0) if receiver.answers else 204
            self.send_response(status if valid else 400)
            self.send_header("Content-Length", "0")
            if receiver.location:
                self.send_header("Location", receiver.location)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    with serving(Handler) as url:
        receiver = WebhookReceiver(url=f"{url}/hooks/aftersales")
        yield receiver

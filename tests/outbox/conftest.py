"""Real receivers for the outbox tests: an SMTP server (aiosmtpd) and an HTTP server that verifies webhook
signatures the way the documentation tells receivers to. Both run in threads of the test process."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from aftersales.outbox.messages import Message, enqueue
from aftersales.runtime import Runtime
from aftersales.testing.network import free_port, serving

WAIT_SECONDS = 60.0
"""The longest a test waits for something to arrive before it fails (it normally arrives in milliseconds)."""


class Inbox:
    """An aiosmtpd handler that keeps what it receives. ``refuse[address] = "550 …"`` refuses a recipient once
    per entry in the list; ``stall_next`` makes the next DATA hang until the server stops (a slow server)."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.peers: set[Any] = set()
        """The client addresses (host, port) messages arrived from: one per SMTP connection."""
        self.refuse: dict[str, list[str]] = {}
        self.stall_next = False
        self.stalled = threading.Event()
        self._arrived = threading.Condition()

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        answers = self.refuse.get(address)
        if answers:
            return answers.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.stall_next:
            self.stall_next = False
            self.stalled.set()
            await asyncio.Event().wait()  # until the controller stops and cancels it
        with self._arrived:
            self.peers.add(session.peer)
            self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
            self._arrived.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, count: int) -> list[EmailMessage]:
        """The messages once ``count`` have arrived. :raises AssertionError: they did not in time."""
        with self._arrived:
            assert self._arrived.wait_for(lambda: len(self.messages) >= count, WAIT_SECONDS), (
                f"{len(self.messages)} of {count} e-mails arrived")
            return list(self.messages)


@dataclass
class SmtpServer:
    inbox: Inbox
    port: int

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A real SMTP server on a free loopback port."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield SmtpServer(inbox, port)
    controller.stop()


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


@pytest.fixture
def tuned(runtime: Runtime) -> Any:
    """``tuned(smtp_url=…)``: the test's runtime (same database and plugins) with some settings changed."""
    return lambda **changes: replace(runtime, settings=replace(runtime.settings, **changes))


@pytest.fixture
def queue(runtime: Runtime) -> Any:
    """``await queue(tenant_id, now, **fields)`` enqueues one message in its own transaction; ``fields`` fill
    :class:`Message` (by default an e-mail)."""

    async def add(tenant_id: Any, now: datetime, **fields: Any) -> Any:
        values = {"channel": "email", "recipient": "sara@example.com", "event": "request.opened",
                  "key": "request.opened:1", "subject": "We have your request", "body": "Request 1 is open."}
        values.update(fields)
        async with runtime.db.transaction(tenant_id) as session:
            return await enqueue(session, Message(**values), now=now)

    return add


@pytest.fixture
def reload(runtime: Runtime) -> Any:
    """``await reload(message)``: the message as the database has it now."""
    from sqlalchemy import select

    from aftersales.outbox.models import OutboxMessage

    async def fetch(message: Any) -> Any:
        async with runtime.db.session(message.tenant_id) as session:
            return await session.scalar(select(OutboxMessage).where(OutboxMessage.id == message.id))

    return fetch


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on: connecting to it is refused."""
    return free_port()


@pytest.fixture
def spawn_worker(backend: Any, base_settings: Any, tmp_path: Any) -> Iterator[Any]:
    """``spawn_worker("--interval", "0.1", AFTERSALES_SMTP_URL=…)`` starts the real ``aftersales worker`` in a
    child process against this test's database; children still running at the end are killed."""
    import os
    import subprocess
    import sys

    children: list[subprocess.Popen[str]] = []

    def spawn(*args: str, **env: str) -> subprocess.Popen[str]:
        full_env = {**os.environ, "AFTERSALES_DATABASE_URL": backend.app_url,
                    "AFTERSALES_MIGRATION_DATABASE_URL": backend.owner_url,
                    "AFTERSALES_DATA_DIR": str(base_settings.data_dir),
                    "AFTERSALES_SIGNING_KEY": base_settings.signing_key_pem, "PYTHONUNBUFFERED": "1", **env}
        log = (tmp_path / f"worker-{len(children)}.log").open("w")
        child = subprocess.Popen([sys.executable, "-m", "aftersales.cli.main", "worker", *args], env=full_env,
                                 stdout=subprocess.PIPE, stderr=log, text=True)
        log.close()
        children.append(child)
        return child

    yield spawn
    for child in children:
        if child.poll() is None:
            child.kill()
        child.wait()
        assert child.stdout is not None
        child.stdout.close()

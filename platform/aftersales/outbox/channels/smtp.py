"""E-mail over SMTP (``aiosmtplib``), over a few connections kept open for one delivery batch.

The server comes from ``AFTERSALES_SMTP_URL``: ``smtp://[user:password@]host[:port]`` upgrades to TLS when the
server offers STARTTLS (``?starttls=require`` refuses to send without it), ``smtps://`` speaks TLS from the
first byte. Each e-mail's ``Message-ID`` is derived from the tenant and the idempotency key, so every attempt of
one message carries the same id and mail systems (and people) can drop a duplicate.

A batch (a recall's thousands of owners) reuses its connections: a connection that sent a message goes back to
the channel's idle list; one that failed in any way, or was interrupted, is closed and never reused, so a
half-finished SMTP dialogue cannot leak into the next message. A reused connection the server closed while idle
is replaced once by a fresh one before the message counts as failed.
"""

from __future__ import annotations

import contextlib
import hashlib
import uuid
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, parseaddr
from typing import Self
from urllib.parse import parse_qs, unquote, urlsplit

import aiosmtplib

from aftersales.outbox.channels import PermanentError, RetryableError
from aftersales.outbox.models import OutboxMessage

SMTP_TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True)
class SmtpServer:
    """Where and how to connect, read from an ``smtp://`` or ``smtps://`` URL."""

    host: str
    port: int
    username: str | None = None
    password: str | None = None
    use_tls: bool = False
    """TLS from the first byte (``smtps://``, usually port 465)."""
    start_tls: bool | None = None
    """STARTTLS: None upgrades when the server offers it, True insists, False never upgrades."""

    @classmethod
    def from_url(cls, url: str) -> SmtpServer:
        """:raises ValueError: not an ``smtp://`` or ``smtps://`` URL with a host."""
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError(f"AFTERSALES_SMTP_URL must look like smtp://host:port, not {url!r}")
        starttls = parse_qs(parts.query).get("starttls", [""])[0].lower()
        if starttls not in ("", "require", "no"):
            raise ValueError("AFTERSALES_SMTP_URL: starttls must be 'require' or 'no'")
        implicit = parts.scheme == "smtps"
        return cls(
            host=parts.hostname,
            port=parts.port or (465 if implicit else 25),
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            use_tls=implicit,
            start_tls=False if implicit or starttls == "no" else (True if starttls == "require" else None),
        )


def message_id_for(tenant_id: uuid.UUID, idempotency_key: str, domain: str) -> str:
    """The ``Message-ID`` of every attempt of one outbox message: a hash of its tenant and idempotency key."""
    digest = hashlib.sha256(f"{tenant_id}\x00{idempotency_key}".encode()).hexdigest()[:40]
    return f"<{digest}@{domain}>"


def _domain_of(address: str) -> str:
    _, email = parseaddr(address)
    return email.rpartition("@")[2] or "aftersales.invalid"


class SmtpChannel:
    """Sends outbox e-mail from ``mail_from`` with the tenant's support address as ``Reply-To``; ``async with``
    closes the connections it kept open."""

    def __init__(self, server: SmtpServer, mail_from: str, reply_to: str | None = None) -> None:
        self.server = server
        self.mail_from = mail_from
        self.reply_to = reply_to
        self.domain = _domain_of(mail_from)
        self._idle: list[aiosmtplib.SMTP] = []
        self.connections_opened = 0
        """Connections this channel has opened (a batch of e-mails should need few)."""

    def compose(self, message: OutboxMessage) -> EmailMessage:
        """The e-mail for ``message``, as every attempt sends it (a fresh ``Date`` aside)."""
        mail = EmailMessage()
        mail["From"] = self.mail_from
        mail["To"] = message.recipient
        if self.reply_to:
            mail["Reply-To"] = self.reply_to
        mail["Subject"] = message.subject
        mail["Date"] = formatdate(usegmt=True)
        mail["Message-ID"] = message_id_for(message.tenant_id, message.idempotency_key, self.domain)
        mail.set_content(message.body)
        return mail

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        idle, self._idle = self._idle, []
        for client in idle:
            with contextlib.suppress(aiosmtplib.SMTPException, OSError):
                await client.quit()

    async def _connect(self) -> aiosmtplib.SMTP:
        server = self.server
        client = aiosmtplib.SMTP(hostname=server.host, port=server.port, username=server.username,
                                 password=server.password, use_tls=server.use_tls, start_tls=server.start_tls,
                                 timeout=SMTP_TIMEOUT_SECONDS)
        await client.connect()
        self.connections_opened += 1
        return client

    async def _send_once(self, mail: EmailMessage) -> None:
        reused = bool(self._idle)
        client = self._idle.pop() if reused else await self._connect()
        try:
            await client.send_message(mail)
        except aiosmtplib.SMTPServerDisconnected:
            client.close()
            if not reused:
                raise
            client = await self._connect()  # the server dropped the idle connection: one fresh try
            try:
                await client.send_message(mail)
            except BaseException:
                client.close()
                raise
        except BaseException:
            client.close()
            raise
        self._idle.append(client)

    async def send(self, message: OutboxMessage) -> None:
        """Hand the e-mail to the SMTP server. A 5xx refusal of the recipient or the content is permanent;
        anything else (no connection, a timeout, a 4xx "try later", a refused login) is retried."""
        try:
            await self._send_once(self.compose(message))
        except aiosmtplib.SMTPRecipientsRefused as exc:
            codes = [refused.code for refused in exc.recipients]
            error = f"recipient refused: {'; '.join(f'{r.code} {r.message}' for r in exc.recipients)}"
            raise (PermanentError if all(code >= 500 for code in codes) else RetryableError)(error) from exc
        except (aiosmtplib.SMTPRecipientRefused, aiosmtplib.SMTPDataError) as exc:
            error = f"SMTP {exc.code}: {exc.message}"
            raise (PermanentError if exc.code >= 500 else RetryableError)(error) from exc
        except (aiosmtplib.SMTPConnectError, OSError) as exc:
            raise RetryableError(f"SMTP server unreachable: {exc}") from exc
        except aiosmtplib.SMTPException as exc:
            raise RetryableError(f"SMTP {type(exc).__name__}: {exc}") from exc

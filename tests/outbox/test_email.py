"""E-mail reaches a real SMTP server with a Message-ID derived from the idempotency key; a server that is down
or says "later" is retried with exponential back-off until the attempts run out; a 5xx refusal fails at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from aftersales.outbox.channels.smtp import SmtpServer, message_id_for
from aftersales.outbox.delivery import BACKOFF_BASE_SECONDS, CONCURRENT_SENDS, MAX_ATTEMPTS, deliver_due

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


async def test_an_email_reaches_the_smtp_server_with_the_message_id_of_its_key(
        runtime, make_tenant, smtp_server, tuned, queue, reload):
    mehr = await make_tenant("mehr")
    worker = tuned(smtp_url=smtp_server.url, mail_from="Mehr Service <noreply@mail.aftersales.test>")
    queued = await queue(mehr.id, T0, key="request.opened:7", subject="Request 7 received", body="We call you.")

    assert await deliver_due(worker, mehr.id, T0) == 1

    (mail,) = smtp_server.inbox.wait_for(1)
    assert mail["Message-ID"] == message_id_for(mehr.id, "request.opened:7", "mail.aftersales.test")
    assert (mail["To"], mail["From"]) == ("sara@example.com", "Mehr Service <noreply@mail.aftersales.test>")
    assert mail["Reply-To"] == "help@mehr-demo.com"  # the tenant's support address, from its branding
    assert mail["Subject"] == "Request 7 received"
    assert mail.get_content().strip() == "We call you."
    stored = await reload(queued)
    assert (stored.status, stored.attempts, stored.delivered_at, stored.lease_until) == ("delivered", 1, T0, None)
    assert await deliver_due(worker, mehr.id, T0 + timedelta(days=1)) == 0  # delivered means never again


async def test_the_message_id_is_per_tenant_and_per_key(make_tenant):
    mehr, entekhab = await make_tenant("mehr"), await make_tenant("entekhab", vertical="appliances")
    ids = {message_id_for(t.id, key, "x.test") for t in (mehr, entekhab) for key in ("a:1", "a:2")}
    assert len(ids) == 4


async def test_a_try_later_answer_is_retried_with_the_same_message_id(
        runtime, make_tenant, smtp_server, tuned, queue, reload):
    mehr = await make_tenant("mehr")
    worker = tuned(smtp_url=smtp_server.url)
    smtp_server.inbox.refuse["sara@example.com"] = ["451 4.3.0 mailbox busy, try later"]
    queued = await queue(mehr.id, T0)

    assert await deliver_due(worker, mehr.id, T0) == 1
    first = await reload(queued)
    assert (first.status, first.attempts) == ("pending", 1)
    assert "451" in first.last_error
    assert await deliver_due(worker, mehr.id, first.next_attempt_at - timedelta(seconds=1)) == 0  # not yet due
    assert await deliver_due(worker, mehr.id, first.next_attempt_at) == 1

    (mail,) = smtp_server.inbox.wait_for(1)
    assert mail["Message-ID"] == message_id_for(mehr.id, queued.idempotency_key, "localhost")
    assert (await reload(queued)).status == "delivered"


async def test_an_unreachable_server_is_retried_with_growing_back_off_and_then_the_message_fails(
        runtime, make_tenant, closed_port, tuned, queue, reload):
    mehr = await make_tenant("mehr")
    worker = tuned(smtp_url=f"smtp://127.0.0.1:{closed_port}")
    queued = await queue(mehr.id, T0)
    now = T0
    for attempt in range(1, MAX_ATTEMPTS):
        assert await deliver_due(worker, mehr.id, now) == 1
        stored = await reload(queued)
        assert (stored.status, stored.attempts) == ("pending", attempt)
        assert "unreachable" in stored.last_error
        ceiling = timedelta(seconds=BACKOFF_BASE_SECONDS * 2 ** (attempt - 1))
        assert ceiling / 2 <= stored.next_attempt_at - now <= ceiling  # exponential, with jitter
        now = stored.next_attempt_at

    assert await deliver_due(worker, mehr.id, now) == 1
    given_up = await reload(queued)
    assert (given_up.status, given_up.attempts) == ("failed", MAX_ATTEMPTS)
    assert await deliver_due(worker, mehr.id, now + timedelta(days=30)) == 0


async def test_a_recipient_refused_for_good_fails_at_once(runtime, make_tenant, smtp_server, tuned, queue, reload):
    mehr = await make_tenant("mehr")
    worker = tuned(smtp_url=smtp_server.url)
    smtp_server.inbox.refuse["nobody@example.com"] = ["550 5.1.1 no such mailbox"]
    queued = await queue(mehr.id, T0, recipient="nobody@example.com")

    assert await deliver_due(worker, mehr.id, T0) == 1
    failed = await reload(queued)
    assert (failed.status, failed.attempts) == ("failed", 1)
    assert "550 5.1.1 no such mailbox" in failed.last_error


@pytest.mark.parametrize(("url", "server"), [
    ("smtp://localhost:1025", SmtpServer("localhost", 1025)),
    ("smtp://mailer:p%40ss@smtp.example.com:587?starttls=require",
     SmtpServer("smtp.example.com", 587, "mailer", "p@ss", use_tls=False, start_tls=True)),
    ("smtps://smtp.example.com", SmtpServer("smtp.example.com", 465, use_tls=True, start_tls=False)),
])
def test_the_smtp_url_says_where_and_how_to_connect(url, server):
    assert SmtpServer.from_url(url) == server


def test_an_smtp_url_of_another_kind_is_refused():
    with pytest.raises(ValueError, match="smtp://host:port"):
        SmtpServer.from_url("http://localhost:1025")


async def test_a_batch_of_e_mails_shares_a_few_connections(runtime, make_tenant, smtp_server, tuned, queue, reload):
    mehr = await make_tenant("mehr")
    queued = [await queue(mehr.id, T0, recipient=f"owner{n}@example.com", key=f"recall.notice:{n}")
              for n in range(3 * CONCURRENT_SENDS)]

    assert await deliver_due(tuned(smtp_url=smtp_server.url), mehr.id, T0) == len(queued)
    smtp_server.inbox.wait_for(len(queued))
    assert sorted(m["To"] for m in smtp_server.inbox.messages) == sorted(m.recipient for m in queued)
    assert len(smtp_server.inbox.peers) <= CONCURRENT_SENDS
    assert {(await reload(m)).status for m in queued} == {"delivered"}

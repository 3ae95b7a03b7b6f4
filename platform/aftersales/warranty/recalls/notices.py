"""The notice a recall sends each registered owner, and the acknowledgement link it carries.

One notice per channel the owner can be reached on (SMS to a phone, e-mail to an address), keyed by campaign,
registration and channel, so a notice is queued once however often it is asked for. The link carries a random
token; only its SHA-256 is stored with the unit (a 256-bit token needs no slow hash), so the register alone
does not give anyone the links.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.outbox.messages import Message, enqueue
from aftersales.tenancy.current import CurrentTenant
from aftersales.warranty.recalls.models import RecallCampaign

NOTICE_EVENT = "recall.notice"


def new_token() -> str:
    """A fresh, unguessable acknowledgement token (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What is stored of a token: its SHA-256, hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def acknowledge_url(link_base: str, tenant_slug: str, token: str) -> str:
    """The public address an owner acknowledges the notice at."""
    return f"{link_base.rstrip('/')}/api/v1/public/{tenant_slug}/recall-acknowledgements/{token}"


@dataclass(frozen=True)
class NoticeTarget:
    """A registered unit a notice is about, and how its owner is reached."""

    serial: str
    model_name: str
    registration_id: UUID
    phone: str | None
    """The owner's phone (E.164) and e-mail address, as registered."""
    email: str | None
    token: str


async def send_notices(session: AsyncSession, tenant: CurrentTenant, campaign: RecallCampaign, target: NoticeTarget,
                       *, link_base: str, now: datetime) -> list[str]:
    """Queue the notice of ``target`` on each channel its owner has; returns the outbox message ids."""
    brand = tenant.record.branding.get("display_name") or tenant.record.name
    url = acknowledge_url(link_base, tenant.record.slug, target.token)
    subject = f"{brand}: recall of your {target.model_name} ({target.serial})"
    body = (f"{brand} is recalling your {target.model_name}, serial {target.serial}: {campaign.title}.\n"
            f"The defect: {campaign.reason}\nWhat to do: {campaign.remedy}\n"
            f"Please confirm you have read this notice: {url}")
    payload = {"campaign_id": str(campaign.id), "serial": target.serial, "title": campaign.title,
               "reason": campaign.reason, "remedy": campaign.remedy, "acknowledge_url": url}
    channels = [("sms", target.phone), ("email", target.email)]
    ids = []
    for channel, recipient in channels:
        if not recipient:
            continue
        message = Message(channel=channel, recipient=recipient, event=NOTICE_EVENT,
                          key=f"recall:{campaign.id}:{target.registration_id}:{channel}",
                          subject=subject, body=body, payload=payload)
        ids.append(str((await enqueue(session, message, now=now)).id))
    return ids

"""Demo data for the customer's own pages: a satisfaction survey waiting in the demo customer's portal, so
``/my/surveys`` has something to answer after ``make demo``. Idempotent: once per tenant."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from sqlalchemy import select

from aftersales.db.base import utcnow
from aftersales.identity.models import Customer
from aftersales.runtime import Runtime
from aftersales.service.followups.models import FollowUp
from aftersales.tenancy.models import Tenant

DEMO_SOURCE = "demo:portal-survey"
DEMO_QUESTIONS = ["Was your device fixed the first time?", "Would you recommend our service to a friend?"]
"""Invented questions, in the tenant's working language of the demo (English), as plugins' questionnaires are."""


async def seed_demo_account(runtime: Runtime, tenant: Tenant) -> UUID | None:
    """Put a sent portal survey in the demo customer's (``customer@{slug}-demo.com``) portal; returns its id, or
    None when the tenant has no demo customer or already has the survey."""
    async with runtime.db.transaction(tenant.id) as session:
        customer = await session.scalar(select(Customer).where(Customer.email == f"customer@{tenant.slug}-demo.com"))
        if customer is None or await session.scalar(select(FollowUp.id).where(FollowUp.source_event == DEMO_SOURCE)):
            return None
        now = utcnow()
        survey = FollowUp(
            customer_id=customer.id, source_event=DEMO_SOURCE, event_kind="request_closed",
            event_at=now - timedelta(days=2), plan_name="satisfaction_survey", channel="portal",
            questionnaire=list(DEMO_QUESTIONS), after={"days": 1}, occurrence=1, due_at=now - timedelta(days=1),
            status="sent", sent_at=now - timedelta(days=1),
        )
        session.add(survey)
        await session.flush()
        return survey.id

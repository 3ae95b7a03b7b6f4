"""Bodies and answers of the Stripe account endpoint. Secrets go in and never come out: an answer shows the last
four characters of each and the mode the keys are for."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from aftersales.payments.stripe.models import StripeAccount


class StripeAccountIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    secret_key: str = Field(max_length=255, description="sk_test_…/sk_live_… (or a restricted rk_… key)")
    webhook_secret: str = Field(max_length=255, description="The signing secret of this tenant's webhook endpoint")
    publishable_key: str = Field(max_length=255, description="pk_test_…/pk_live_…, of the same mode")
    connect_mode: Literal["off", "destination"] = Field(
        "off", description="'destination': marketplace jobs are Connect destination charges with an application fee")


class StripeAccountOut(BaseModel):
    configured: bool
    mode: Literal["test", "live"] | None = None
    connect_mode: str | None = None
    publishable_key: str | None = None
    secret_key_last4: str | None = None
    webhook_secret_last4: str | None = None
    webhook_path: str
    updated_by: str | None = None
    updated_at: datetime | None = None


def stripe_account_out(account: StripeAccount | None, webhook_path: str) -> StripeAccountOut:
    """The account as an admin may see it (``configured: false`` before keys are set)."""
    if account is None:
        return StripeAccountOut(configured=False, webhook_path=webhook_path)
    return StripeAccountOut(configured=True, mode=account.mode, connect_mode=account.connect_mode,  # type: ignore[arg-type]
                            publishable_key=account.publishable_key, secret_key_last4=account.secret_key_last4,
                            webhook_secret_last4=account.webhook_secret_last4, webhook_path=webhook_path,
                            updated_by=account.updated_by, updated_at=account.updated_at)

"""A tenant's Stripe credentials: validated, stored Fernet-encrypted, read back only to talk to Stripe.

The cipher has a key of its own (``AFTERSALES_STRIPE_CREDENTIALS_KEY``, or ``data_dir/stripe-key`` generated on
first use), not the webhook-endpoint key of :mod:`aftersales.outbox.secrets`: a Stripe secret key moves money,
so it is kept apart from secrets that only sign notifications; either key can be rotated or handed to a secret
store without touching the other. Losing it means every tenant enters its Stripe keys again.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from cryptography.fernet import Fernet
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.errors import Conflict, FieldError, InvalidInput
from aftersales.keys import load_or_create_code_key
from aftersales.payments.stripe.models import StripeAccount
from aftersales.settings import Settings

CONNECT_MODES = ("off", "destination")
_SECRET_PREFIXES = {"sk_test_": "test", "rk_test_": "test", "sk_live_": "live", "rk_live_": "live"}
_PUBLISHABLE_PREFIXES = {"pk_test_": "test", "pk_live_": "live"}


@dataclass(frozen=True)
class StripeCredentials:
    """What the provider needs to talk to Stripe for one tenant, decrypted."""

    secret_key: str
    webhook_secret: str
    publishable_key: str
    mode: Literal["test", "live"]
    connect_mode: str


@functools.lru_cache(maxsize=8)
def _fernet(key: bytes) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(key).digest()))


def credentials_box(settings: Settings) -> Fernet:
    """The cipher that encrypts and decrypts tenants' Stripe secrets."""
    return _fernet(load_or_create_code_key(settings.stripe_credentials_key, settings.data_dir / "stripe-key"))


def _mode(value: str, prefixes: dict[str, str]) -> str | None:
    return next((mode for prefix, mode in prefixes.items() if value.startswith(prefix) and len(value) > len(prefix)),
                None)


def validate(secret_key: str, webhook_secret: str, publishable_key: str, connect_mode: str) -> str:
    """The mode (``test``/``live``) the keys are for; every broken rule listed at once otherwise."""
    problems = []
    mode = _mode(secret_key, _SECRET_PREFIXES)
    if mode is None:
        problems.append(FieldError("secret_key", "must be a Stripe secret or restricted key (sk_test_…, sk_live_…, "
                                                 "rk_test_…, rk_live_…)"))
    published = _mode(publishable_key, _PUBLISHABLE_PREFIXES)
    if published is None:
        problems.append(FieldError("publishable_key", "must be a Stripe publishable key (pk_test_… or pk_live_…)"))
    elif mode is not None and published != mode:
        problems.append(FieldError("publishable_key", f"is a {published} key but the secret key is a {mode} key"))
    if not webhook_secret.startswith("whsec_") or len(webhook_secret) <= len("whsec_"):
        problems.append(FieldError("webhook_secret", "must be the endpoint's signing secret (whsec_…)"))
    if connect_mode not in CONNECT_MODES:
        problems.append(FieldError("connect_mode", f"must be one of {', '.join(CONNECT_MODES)}"))
    if problems:
        raise InvalidInput("the Stripe credentials are invalid", problems)
    assert mode is not None
    return mode


async def configured_account(session: AsyncSession) -> StripeAccount | None:
    """The session's tenant's Stripe account, if it has set one."""
    return await session.scalar(select(StripeAccount))


async def set_credentials(session: AsyncSession, box: Fernet, *, secret_key: str, webhook_secret: str,
                          publishable_key: str, connect_mode: str, actor: str, now: datetime) -> StripeAccount:
    """Set or replace the session's tenant's Stripe credentials (all of them at once)."""
    mode = validate(secret_key, webhook_secret, publishable_key, connect_mode)
    account = await configured_account(session) or StripeAccount()
    account.secret_key_encrypted = box.encrypt(secret_key.encode()).decode()
    account.webhook_secret_encrypted = box.encrypt(webhook_secret.encode()).decode()
    account.secret_key_last4 = secret_key[-4:]
    account.webhook_secret_last4 = webhook_secret[-4:]
    account.publishable_key = publishable_key
    account.mode = mode
    account.connect_mode = connect_mode
    account.updated_by = actor
    account.updated_at = now
    session.add(account)
    await session.flush()
    return account


def decrypt(account: StripeAccount, box: Fernet) -> StripeCredentials:
    """The account's credentials in plain text, for a call to Stripe or a signature check."""
    return StripeCredentials(secret_key=box.decrypt(account.secret_key_encrypted.encode()).decode(),
                             webhook_secret=box.decrypt(account.webhook_secret_encrypted.encode()).decode(),
                             publishable_key=account.publishable_key, mode=account.mode,  # type: ignore[arg-type]
                             connect_mode=account.connect_mode)


async def credentials(session: AsyncSession, settings: Settings) -> StripeCredentials:
    """The session's tenant's Stripe credentials.

    :raises Conflict: the tenant has not configured Stripe.
    """
    account = await configured_account(session)
    if account is None:
        raise Conflict("Stripe is not configured for this tenant: an admin sets its keys first "
                       "(PUT /api/v1/payments/stripe/account)")
    return decrypt(account, credentials_box(settings))

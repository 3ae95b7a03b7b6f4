"""Webhook endpoint secrets, encrypted at rest with a platform key (Fernet: AES-128-CBC with HMAC-SHA256).

The key is ``AFTERSALES_WEBHOOK_KEY``, or a random key generated into ``data_dir/webhook-key`` on first use
(mode 0600, like the code key of :mod:`aftersales.warranty.serials.codes`). Losing the key means every endpoint needs
a new secret; every server process and worker must see the same key.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import secrets as random_secrets

from cryptography.fernet import Fernet

from aftersales.keys import load_or_create_code_key
from aftersales.settings import Settings

SECRET_PREFIX = "whsec_"


def new_endpoint_secret() -> str:
    """A fresh signing secret for an endpoint: 256 random bits, shown to the tenant once."""
    return SECRET_PREFIX + random_secrets.token_urlsafe(32)


@functools.lru_cache(maxsize=8)
def _fernet(key: bytes) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(key).digest()))


def secret_box(settings: Settings) -> Fernet:
    """The cipher that encrypts and decrypts endpoint secrets under this platform's webhook key."""
    return _fernet(load_or_create_code_key(settings.webhook_key, settings.data_dir / "webhook-key"))

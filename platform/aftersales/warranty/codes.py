"""Warranty card and hologram codes, stored as keyed hashes.

A code is normalised (trimmed, upper-cased, digits as ASCII) and stored as HMAC-SHA256 under the platform's
code key (``AFTERSALES_CODE_KEY``, or a key generated into the data directory). Short codes cannot be recovered
from a leaked database without that key, and checking a code costs one HMAC, so a million-row import stays
fast (a password hash per code would take hours).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from aftersales.numerals import ascii_digits


def load_or_create_code_key(configured: str | None, key_file: Path) -> bytes:
    """The code key from configuration, else from ``key_file``, else a new one written there (mode 0600)."""
    if configured:
        return configured.encode()
    if key_file.exists():
        return key_file.read_bytes().strip()
    key = secrets.token_hex(32).encode()
    key_file.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(key)
    return key


def normalise_code(code: str) -> str:
    return ascii_digits(code).strip().upper().replace(" ", "").replace("-", "")


def hash_code(key: bytes, tenant_slug: str, code: str) -> str:
    """The stored form of a card or hologram code; bound to the tenant, so equal codes differ across tenants."""
    message = f"{tenant_slug}\x00{normalise_code(code)}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def code_matches(key: bytes, tenant_slug: str, code: str, stored: str | None) -> bool:
    return stored is not None and hmac.compare_digest(hash_code(key, tenant_slug, code), stored)

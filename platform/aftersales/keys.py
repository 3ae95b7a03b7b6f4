"""Platform keys: taken from configuration, else read from the data directory, else generated there once."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path


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


def keyed_hash(code_key: bytes, *parts: object) -> str:
    """The hex HMAC-SHA256 under the code key of ``parts`` joined by NUL (the first part names the purpose): how
    a client address, a contact or a one-time code is stored and compared without its raw value."""
    return hmac.new(code_key, "\x00".join(str(p) for p in parts).encode(), hashlib.sha256).hexdigest()

"""Files handed in with a registration (proof of purchase), kept in the data directory by content hash.

Only photos and PDFs, at most :data:`MAX_BYTES`; the declared type must agree with the file's first bytes, so
a renamed executable is not stored as a receipt. The magic-number check is hand-written: three fixed
signatures do not warrant a libmagic dependency.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.errors import FieldError, InvalidInput
from aftersales.warranty.models import Attachment

MAX_BYTES = 10 * 1024 * 1024
SIGNATURES = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
}


def attachment_path(data_dir: Path, tenant_id: UUID, sha256: str) -> Path:
    """Where an attachment's bytes live: one folder per tenant, named by the content hash."""
    return data_dir / "attachments" / str(tenant_id) / sha256


def check_upload(content: bytes, content_type: str) -> None:
    """:raises InvalidInput: an empty, oversized or mistyped file."""
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind not in SIGNATURES:
        raise InvalidInput("unsupported file", [FieldError(
            "content-type", f"must be one of {', '.join(sorted(SIGNATURES))}, not {kind or 'missing'}",
            code="attachment.unsupported_type", params={"accepted": sorted(SIGNATURES)})])
    if not content:
        raise InvalidInput("empty file", [FieldError("body", "the file is empty", code="attachment.empty")])
    if len(content) > MAX_BYTES:
        limit_mib = MAX_BYTES // (1024 * 1024)
        raise InvalidInput("file too large", [FieldError("body", f"must be at most {limit_mib} MiB",
                                                         code="attachment.too_large", params={"limit_mib": limit_mib})])
    if not content.startswith(SIGNATURES[kind]):
        raise InvalidInput("file does not match its type", [FieldError(
            "body", f"is not a {kind} file", code="attachment.type_mismatch", params={"content_type": kind})])


def keep_file(data_dir: Path, tenant_id: UUID, content: bytes, content_type: str) -> str:
    """Validate a file and write its bytes (atomically, once per content) to the tenant's folder; returns the
    SHA-256 naming them. Any record of the file is written after this. :raises InvalidInput: see check_upload."""
    check_upload(content, content_type)
    sha256 = hashlib.sha256(content).hexdigest()
    path = attachment_path(data_dir, tenant_id, sha256)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.part")
        partial.write_bytes(content)
        partial.replace(path)
    return sha256


async def store_attachment(session: AsyncSession, data_dir: Path, tenant_id: UUID, content: bytes,
                           content_type: str, filename: str) -> Attachment:
    """Validate and keep a file; the bytes are written (atomically) before the row that names them."""
    sha256 = keep_file(data_dir, tenant_id, content, content_type)
    attachment = Attachment(filename=filename[:200] or "proof", content_type=content_type.split(";", 1)[0].strip(),
                            size_bytes=len(content), sha256=sha256)
    session.add(attachment)
    await session.flush()
    return attachment

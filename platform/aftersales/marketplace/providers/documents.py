"""Documents a provider files (licence, insurance, the tenant's authorisation letter): PDF, JPEG or PNG, checked
by their first bytes and kept by SHA-256 in the tenant's data folder, as a registration's proof of purchase is
(:mod:`aftersales.warranty.registrations.attachments`)."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.errors import FieldError, InvalidInput, NotFound
from aftersales.marketplace.models import ProviderDocument
from aftersales.warranty.registrations.attachments import attachment_path, keep_file

KINDS = ("licence", "insurance", "authorisation", "identity", "other")
UNSAFE_IN_FILENAME = re.compile(r"[^\w. -]")
"""Kept out of a stored file name, so it can go back into a Content-Disposition header as it is."""


async def add_document(session: AsyncSession, data_dir: Path, tenant_id: uuid.UUID, provider_id: uuid.UUID, *,
                       kind: str, content: bytes, content_type: str, filename: str,
                       uploaded_by: str) -> ProviderDocument:
    """Keep a provider's document. :raises InvalidInput: an unknown kind, or a file that is empty, over 10 MiB,
    not a PDF/JPEG/PNG or not what its content type says."""
    if kind not in KINDS:
        raise InvalidInput("invalid document", [FieldError("kind", f"one of {', '.join(KINDS)}")])
    sha256 = keep_file(data_dir, tenant_id, content, content_type)
    filename = UNSAFE_IN_FILENAME.sub("_", filename.strip())[:200] or kind
    document = ProviderDocument(provider_id=provider_id, kind=kind, filename=filename,
                                content_type=content_type.split(";", 1)[0].strip().lower(), sha256=sha256,
                                size=len(content), uploaded_by=uploaded_by)
    session.add(document)
    await session.flush()
    return document


async def documents_of(session: AsyncSession, provider_id: uuid.UUID) -> list[ProviderDocument]:
    """The provider's documents, oldest first."""
    return list(await session.scalars(select(ProviderDocument).where(ProviderDocument.provider_id == provider_id)
                                      .order_by(ProviderDocument.id)))


async def read_document(session: AsyncSession, data_dir: Path, tenant_id: uuid.UUID, provider_id: uuid.UUID,
                        document_id: uuid.UUID) -> tuple[ProviderDocument, bytes]:
    """A document and its bytes. :raises NotFound: not one of this provider's documents."""
    document = await session.scalar(select(ProviderDocument).where(
        ProviderDocument.id == document_id, ProviderDocument.provider_id == provider_id))
    if document is None:
        raise NotFound("no such document")
    return document, attachment_path(data_dir, tenant_id, document.sha256).read_bytes()

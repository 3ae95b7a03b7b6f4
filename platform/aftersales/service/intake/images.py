"""Images handed in as ``data:`` URLs (the console's signature pad posts ``canvas.toDataURL()``; photos the same
way): decoded, size-limited, checked by their first bytes and kept by SHA-256 in the tenant's attachments
folder, as provider documents and proofs of purchase are (:func:`~aftersales.warranty.registrations.attachments.keep_file`).
Parsing a data URL is hand-written: ``base64`` does the decoding, and the scheme's one fixed shape needs no library."""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

from aftersales.errors import FieldError
from aftersales.warranty.registrations.attachments import SIGNATURES, keep_file

PHOTO_TYPES = ("image/jpeg", "image/png")
MAX_PHOTO_BYTES = 4 * 1024 * 1024
"""One photo: a phone's JPEG fits; more is a raw camera file nobody needs at the counter."""
MAX_SIGNATURE_BYTES = 256 * 1024
"""A drawn signature: a few hundred pixels of PNG lines is a few kilobytes."""
MAX_INTAKE_BODY = 40 * 1024 * 1024
"""A whole intake's body: photos of 4 MiB in base64 (or as files) and the signature; refused beyond this (413)."""
DATA_URL = re.compile(r"data:(?P<type>[a-z]+/[a-z0-9.+-]+)(?:;[a-z0-9=.-]+)*;base64,(?P<data>.*)", re.DOTALL)
CODE = "intake.bad_image"


@dataclass(frozen=True)
class Image:
    """A decoded, checked image, not yet written."""

    content_type: str
    content: bytes

    def keep(self, data_dir: Path, tenant_id: UUID) -> dict[str, object]:
        """Write the bytes (once per content) and return what a record keeps of them."""
        sha256 = keep_file(data_dir, tenant_id, self.content, self.content_type)
        return {"sha256": sha256, "content_type": self.content_type, "size": len(self.content)}


def decode(value: str, field: str, *, types: tuple[str, ...], limit: int) -> Image | FieldError:
    """The image in data URL ``value``, or why not (naming ``field``): not a base64 data URL, a type other than
    ``types``, empty, larger than ``limit`` bytes, or bytes that are not what the type says."""
    kib = limit // 1024
    if len(value) > limit * 4 // 3 + 200:  # the base64 of ``limit`` bytes and its header: refused undecoded
        return FieldError(field, f"must be at most {kib} KiB", code="intake.image_too_large", params={"limit_kib": kib})
    match = DATA_URL.fullmatch(value.strip())
    if match is None:
        return FieldError(field, "must be a base64 data: URL", code=CODE)
    content_type = match["type"].lower()
    if content_type not in types:
        return FieldError(field, f"must be one of {', '.join(types)}", code=CODE, params={"accepted": list(types)})
    try:
        content = base64.b64decode(match["data"], validate=True)
    except (binascii.Error, ValueError):
        return FieldError(field, "is not valid base64", code=CODE)
    if not content:
        return FieldError(field, "is empty", code=CODE)
    if len(content) > limit:
        return FieldError(field, f"must be at most {kib} KiB", code="intake.image_too_large", params={"limit_kib": kib})
    if not content.startswith(SIGNATURES[content_type]):
        return FieldError(field, f"is not a {content_type} file", code=CODE)
    return Image(content_type, content)

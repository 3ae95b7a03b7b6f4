"""Reading an import page's multipart upload as a stream: the small form fields sent before the file, then the
file's bytes chunk by chunk for the importer, counting the bytes read so the progress bar can show them.

The page sends the CSRF token as a header (HTMX does), so nothing reads the body before this does; the form's
other fields (the mode, the import's id) come before the file in the form, so they are known before the first
row is imported.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import multipart
from litestar import Request
from litestar.datastructures import UploadFile

from aftersales.errors import FieldError, InvalidInput
from aftersales.warranty.imports.services import MAX_UPLOAD_BYTES
from aftersales.web.page_auth import CSRF_HEADER

FILE_FIELD = "file"
MAX_FIELD_BYTES = 1024
CHUNK_BYTES = 256 * 1024


@dataclass
class Upload:
    """The fields read before the file, whether a file was chosen, and the file's chunks still to read."""

    fields: dict[str, str]
    filename: str | None
    chunks: AsyncIterator[bytes]


async def _events(request: Request[Any, Any, Any], on_bytes: Callable[[int], None]) -> AsyncIterator[tuple[str, str, Any]]:
    """``("field", name, value)`` for each small field, ``("file", filename, b"")`` when the file starts, then
    ``("data", "", chunk)`` for each piece of it."""
    content_type, options = multipart.parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get("boundary")
    if content_type != "multipart/form-data" or not boundary:
        raise InvalidInput("the upload is not a form with a file", [FieldError(FILE_FIELD, "choose a CSV file")])
    received = 0
    name, value, in_file = "", bytearray(), False
    with multipart.PushMultipartParser(boundary, max_segment_size=MAX_UPLOAD_BYTES) as parser:
        async for chunk in request.stream():
            received += len(chunk)
            on_bytes(received)
            try:
                events = list(parser.parse(chunk))
            except multipart.MultipartError as exc:
                raise InvalidInput(f"the upload is malformed: {exc}") from None
            for event in events:
                if isinstance(event, multipart.MultipartSegment):
                    name, value, in_file = event.name, bytearray(), event.name == FILE_FIELD
                    if in_file:
                        yield "file", event.filename or "", b""
                elif event is None:
                    if not in_file:
                        yield "field", name, value.decode("utf-8", "replace")
                    in_file = False
                elif in_file:
                    yield "data", "", bytes(event)
                elif len(value) + len(event) <= MAX_FIELD_BYTES:
                    value += event


async def open_upload(request: Request[Any, Any, Any], on_bytes: Callable[[int], None]) -> Upload:
    """Read the upload up to the start of its file; the rest is read as :attr:`Upload.chunks` is consumed.

    A form posted without JavaScript carries its CSRF token in the body, so the CSRF check has read (and
    spooled) the whole form already: its file is then read from there, in the same chunks.
    """
    if CSRF_HEADER not in request.headers:
        return await _posted_form(request, on_bytes)
    events = _events(request, on_bytes)
    fields: dict[str, str] = {}
    filename = None
    async for kind, name, value in events:
        if kind == "field":
            fields[name] = value
        elif kind == "file":
            filename = name
            break

    async def chunks() -> AsyncIterator[bytes]:
        async for kind, _name, value in events:
            if kind == "data" and value:
                yield value

    return Upload(fields, filename, chunks())


async def _posted_form(request: Request[Any, Any, Any], on_bytes: Callable[[int], None]) -> Upload:
    form = await request.form()
    fields = {name: value for name, value in form.items() if isinstance(value, str)}
    upload = form.get(FILE_FIELD)
    if not isinstance(upload, UploadFile):
        return Upload(fields, None, _nothing())
    on_bytes(request.content_length or 0)

    async def chunks() -> AsyncIterator[bytes]:
        while chunk := await upload.read(CHUNK_BYTES):
            yield chunk

    return Upload(fields, upload.filename or "", chunks())


async def _nothing() -> AsyncIterator[bytes]:
    return
    yield b""

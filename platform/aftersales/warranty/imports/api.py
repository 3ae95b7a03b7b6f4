"""``POST /api/v1/serials/imports``: the bulk import over HTTP, streamed.

The body is either ``multipart/form-data`` with the CSV in a ``file`` part, or the CSV itself
(``Content-Type: text/csv``). Either way it is read as a stream (the ``multipart`` package's push parser for
multipart) and handed to the importer chunk by chunk, so a file of millions of rows never sits in memory.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import multipart
from litestar import Controller, Request, Response, post
from litestar.params import FromQuery
from pydantic import BaseModel

from aftersales.contract.text import CORE_DOMAIN, messages
from aftersales.errors import InvalidInput
from aftersales.http.context import TOKEN_TENANT, RuntimeDep, TenantDep
from aftersales.http.control_characters import STREAMS_BODY
from aftersales.http.language import say
from aftersales.http.problems import problem
from aftersales.identity.guards import requires_scope
from aftersales.identity.scopes import SERIALS_WRITE
from aftersales.warranty.imports.services import (
    MAX_UPLOAD_BYTES,
    ImportContext,
    ImportMode,
    ImportReport,
    import_serials,
)

_ = messages(CORE_DOMAIN)
REPORTED_IN_RESPONSE = 1_000


class RowErrorOut(BaseModel):
    row: int
    field: str
    reason: str


class ImportReportOut(BaseModel):
    mode: str
    rows_read: int
    rows_imported: int
    rows_invalid: int
    """Rows with at least one error."""
    error_count: int
    errors: list[RowErrorOut]
    """The first 1,000 row errors; ``error_count`` counts them all."""


def _report_body(report: ImportReport) -> ImportReportOut:
    return ImportReportOut(
        mode=report.mode.value, rows_read=report.rows_read, rows_imported=report.rows_imported,
        rows_invalid=report.rows_invalid, error_count=report.error_count,
        errors=[RowErrorOut(row=e.row, field=e.field, reason=e.reason) for e in report.errors[:REPORTED_IN_RESPONSE]],
    )


async def _csv_chunks(request: Request[Any, Any, Any]) -> AsyncIterator[bytes]:
    """The CSV bytes of the request, streamed: a multipart ``file`` part, or the raw body."""
    content_type, options = multipart.parse_options_header(request.headers.get("content-type", ""))
    if content_type != "multipart/form-data":
        async for chunk in request.stream():
            if chunk:
                yield chunk
        return
    boundary = options.get("boundary")
    if not boundary:
        raise InvalidInput("the multipart body has no boundary")
    in_file = seen_file = False
    with multipart.PushMultipartParser(boundary, max_segment_size=MAX_UPLOAD_BYTES) as parser:
        async for chunk in request.stream():
            try:
                events = list(parser.parse(chunk))
            except multipart.MultipartError as exc:
                raise InvalidInput(f"the multipart body is malformed: {exc}") from None
            for event in events:
                if isinstance(event, multipart.MultipartSegment):
                    in_file = event.name == "file"
                    seen_file = seen_file or in_file
                elif event is None:
                    in_file = False
                elif in_file:
                    yield bytes(event)
    if not seen_file:
        raise InvalidInput("the multipart body has no 'file' part with the CSV")


class SerialImportController(Controller):
    path = "/api/v1/serials/imports"
    tags = ["warranty"]
    dependencies = TOKEN_TENANT

    @post("/", operation_id="importSerials", guards=[requires_scope(SERIALS_WRITE)], status_code=200,
          request_max_body_size=MAX_UPLOAD_BYTES, opt={STREAMS_BODY: True})
    async def import_csv(
        self, request: Request[Any, Any, Any], runtime: RuntimeDep, tenant: TenantDep,
        mode: FromQuery[ImportMode] = ImportMode.ALL_OR_NOTHING,
    ) -> Response[Any]:
        """Import a CSV of serials. All-or-nothing (default): any bad row → 422 with every row error, nothing
        written. ``mode=valid_rows``: the good rows are written and the bad ones reported (200)."""
        ctx = ImportContext(tenant=tenant, code_key=runtime.code_key, today=tenant.today())
        session = runtime.db.session(tenant.record.id)
        async with session:
            async with session.begin() as transaction:
                report = await import_serials(session, ctx, _csv_chunks(request), mode=mode)
                if not report.committed:
                    await transaction.rollback()
        body = _report_body(report)
        if report.rows_imported == 0 and report.error_count:
            return problem(
                request, status=422, title="Invalid input", kind="invalid-import",
                detail=say(_("nothing was imported: {invalid} of {rows} rows are invalid, with {errors} errors in all",
                              invalid=report.rows_invalid, rows=report.rows_read, errors=report.error_count)),
                field_errors=[{"field": f"rows.{e.row}.{e.field}", "reason": e.reason} for e in body.errors],
                report=body.model_dump(),
            )
        return Response(body)

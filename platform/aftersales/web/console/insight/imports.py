"""Serial imports in the console (``/console/imports``): upload a CSV, watch it go, read (or download) its row errors.

The upload is streamed into the same importer as ``POST /api/v1/serials/imports``
(:func:`aftersales.warranty.imports.services.import_serials`), in the page's transaction under a savepoint: an
all-or-nothing import with a bad row writes nothing; ``valid_rows`` writes the good rows and reports the rest.
While it runs, the page polls ``/console/imports/{id}/progress`` (HTMX, every half second while the form is
being sent) for the share of the file read and the rows checked so far (:mod:`aftersales.web.console.insight.import_runs`).
"""

from __future__ import annotations

import io
from typing import Any

from litestar import Request, Response, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from aftersales.errors import InvalidInput, NotFound
from aftersales.http.context import RuntimeDep, SessionDep, TenantDep
from aftersales.http.control_characters import STREAMS_BODY
from aftersales.http.csv_export import csv_writer
from aftersales.identity.scopes import SERIALS_WRITE
from aftersales.warranty.imports.services import ImportContext, ImportMode, import_serials
from aftersales.web.console.insight import import_runs
from aftersales.web.console.insight.upload import MAX_UPLOAD_BYTES, open_upload
from aftersales.web.page_auth import ViewerDep, htmx_asked
from aftersales.web.page_controller import PageController
from aftersales.web.portal.rendering import Page, page_for, render

SHOWN_ERRORS = 200
"""Row errors listed on the page; the CSV download has every one the importer kept (up to 10,000)."""


def _mode_labels(page: Page) -> dict[str, str]:
    _ = page.translations.gettext
    return {ImportMode.ALL_OR_NOTHING.value: _("All or nothing: import only if every row is valid"),
            ImportMode.VALID_ROWS.value: _("Valid rows: import the good rows and report the others")}


def _show(request: Request[Any, Any, Any], page: Page, *, status_code: int = 200, **context: Any) -> Template:
    """The whole page, or only the result (with a fresh import id for the next upload) for HTMX."""
    context = {"mode": ImportMode.ALL_OR_NOTHING.value, "errors": {}, "run": None, "run_id": None,
               "shown_errors": SHOWN_ERRORS, **context}
    partial = htmx_asked(request)
    return render(page, "console/imports_result.html" if partial else "console/imports.html", status_code=status_code,
                  headers={"Vary": "HX-Request"}, section="imports", modes=_mode_labels(page),
                  next_id=import_runs.new_run_id(), partial=partial, **context)


class ImportController(PageController):
    """The serial import pages, for staff who may write the register (``serials:write``)."""

    @get("/console/imports")
    async def form(self, request: Request[Any, Any, Any], tenant: TenantDep, viewer: ViewerDep) -> Template:
        """The upload form."""
        viewer.staff(SERIALS_WRITE)
        return _show(request, page_for(request, tenant, viewer))

    @post("/console/imports", status_code=200,
          request_max_body_size=MAX_UPLOAD_BYTES, opt={STREAMS_BODY: True})
    async def upload(self, request: Request[Any, Any, Any], runtime: RuntimeDep, tenant: TenantDep,
                     session: SessionDep, viewer: ViewerDep) -> Template:
        """Import the uploaded CSV and show its report: 422 when nothing could be imported."""
        viewer.staff(SERIALS_WRITE)
        page = page_for(request, tenant, viewer)
        _ = page.translations.gettext
        run = import_runs.ImportRun(request.content_length)
        upload = await open_upload(request, lambda n: setattr(run, "bytes_read", n))
        mode, run_id = upload.fields.get("mode", ImportMode.ALL_OR_NOTHING.value), upload.fields.get("import_id", "")
        errors = {}
        if mode not in {m.value for m in ImportMode}:
            errors["mode"] = _("Choose how to import.")
        if not upload.filename:
            errors["file"] = _("Choose the CSV file to import.")
        if errors:
            return _show(request, page, status_code=422, mode=mode, errors=errors)
        if import_runs.RUN_ID.fullmatch(run_id):
            started = import_runs.start(tenant.record.id, run_id, request.content_length)
            started.bytes_read, run = run.bytes_read, started
        context = ImportContext(tenant=tenant, code_key=runtime.code_key, today=tenant.today())
        savepoint = await session.begin_nested()
        try:
            report = await import_serials(session, context, upload.chunks, mode=ImportMode(mode),
                                          progress=lambda rows: setattr(run, "rows_read", rows))
        except InvalidInput as exc:
            await savepoint.rollback()
            run.failed = True
            reasons = [f"{e.field}: {e.reason}" for e in exc.errors] or [str(exc)]
            return _show(request, page, status_code=422, mode=mode, errors={"file": str(exc), "file_reasons": reasons})
        except BaseException:
            await savepoint.rollback()
            run.failed = True
            raise
        if report.committed:
            await savepoint.commit()
        else:
            await savepoint.rollback()
        run.report, run.rows_read = report, report.rows_read
        status = 422 if report.rows_imported == 0 and report.error_count else 200
        return _show(request, page, status_code=status, mode=mode, run=run,
                     run_id=run_id if import_runs.RUN_ID.fullmatch(run_id) else None)

    @get("/console/imports/progress")
    async def progress(self, request: Request[Any, Any, Any], tenant: TenantDep, viewer: ViewerDep,
                       import_id: FromQuery[str] = "") -> Template:
        """The progress bar of the import ``import_id`` (nothing before its upload has reached the server)."""
        viewer.staff(SERIALS_WRITE)
        run = import_runs.find(tenant.record.id, import_id)
        return render(page_for(request, tenant, viewer), "console/imports_progress.html", run=run)

    @get("/console/imports/{run_id:str}/errors.csv")
    async def errors_csv(self, tenant: TenantDep, viewer: ViewerDep, run_id: FromPath[str]) -> Response[str]:
        """Every reported row error of a finished import as CSV (row, field, reason); 404 once forgotten."""
        viewer.staff(SERIALS_WRITE)
        run = import_runs.find(tenant.record.id, run_id)
        if run is None or run.report is None:
            raise NotFound("no such import here: its report is kept only for the most recent imports")
        out = io.StringIO()
        writer = csv_writer(out)
        writer.writerow(["row", "field", "reason"])
        writer.writerows((e.row, e.field, e.reason) for e in run.report.errors)
        return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers={
            "Content-Disposition": f'attachment; filename="import-{run_id}-errors.csv"'})

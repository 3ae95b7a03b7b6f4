"""Every error becomes an RFC 9457 problem document (``application/problem+json``), in this one place.

Domain errors map by type to a status; Litestar's own errors (validation, 404, 405) keep their status; an
unexpected exception is logged with its traceback and answered with a bare 500 that reveals nothing, unless it
says the database cannot be reached: that is a 503 with ``Retry-After`` (:mod:`aftersales.db.outage`). A failing
plugin is not unexpected: it is a 503 naming the vertical whose rules fail and the error id it was logged under
(``error_id``), and a disabled vertical a 503 naming the reason.
Validation problems carry ``errors: [{field, reason}]`` with every invalid field (and ``code``, ``params`` where
the service names the rule; a refusal that names its rule carries them at the top). Every problem carries the
``request_id`` its answer's ``X-Request-ID`` header names, so a user can quote it (:mod:`aftersales.observability`).
A page request gets the same answer as an HTML page instead: the app passes the pages' own answer
(:func:`aftersales.web.page_errors.page_answer`) to :func:`exception_handlers`, so this module, below every
domain, knows nothing of pages.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from aftersales import errors
from aftersales.contract.text import Message
from aftersales.db.outage import RETRY_AFTER_SECONDS, database_unreachable
from aftersales.observability.context import request_id_of
from aftersales.observability.metrics import DB_UNAVAILABLE

logger = logging.getLogger("aftersales.web")
PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://aftersales.dev/problems/"

STATUS_BY_ERROR: dict[type[errors.AftersalesError], int] = {
    errors.InvalidInput: 422,
    errors.NotFound: 404,
    errors.Conflict: 409,
    errors.AuthenticationFailed: 401,
    errors.PermissionDenied: 403,
    errors.RateLimited: 429,
    errors.PluginFailed: 503,
    errors.VerticalUnavailable: 503,
    errors.TenantNotBound: 500,
    errors.CrossTenantWrite: 403,
}


def problem(
    request: Request[Any, Any, Any],
    *,
    status: int,
    title: str,
    detail: str,
    kind: str,
    field_errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response[Any]:
    """The problem document (``application/problem+json``) for an API request."""
    body: dict[str, Any] = {
        "type": TYPE_BASE + kind,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        "request_id": request_id_of(request.scope),
    }
    if field_errors:
        body["errors"] = field_errors
    body.update(extra)
    return Response(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _kind(exc: Exception) -> str:
    name = type(exc).__name__
    return "".join("-" + c.lower() if c.isupper() else c for c in name).lstrip("-")


def _coded(code: str | None, params: Mapping[str, Any]) -> dict[str, Any]:
    """``code`` when the rule has one, with its ``params`` (dates in ISO 8601): a client words the refusal by
    them, never by the English ``reason`` or ``detail``."""
    if code is None:
        return {}
    if not params:
        return {"code": code}
    plain = (str, int, float, bool, type(None))
    return {"code": code, "params": {name: value.isoformat() if isinstance(value, date) else
                                     value if isinstance(value, plain) else str(value)
                                     for name, value in params.items()}}


def _field_error(error: errors.FieldError) -> dict[str, Any]:
    """``{field, reason}``, and ``code`` (with ``params``) when the rule has one; a plugin's sentence also as
    ``message`` (its id, domain and typed parameters), so an integrator can word it itself."""
    said = {"message": error.reason.to_json()} if isinstance(error.reason, Message) else {}
    return {"field": error.field, "reason": error.reason, **said, **_coded(error.code, error.params)}


PageAnswer = Callable[..., "Response[Any] | None"]
"""Answers a problem as a page when the request is for one (None otherwise): the arguments of :func:`problem`."""


def _validation_field_errors(exc: ValidationException) -> list[dict[str, str]]:
    out = []
    for item in exc.extra if isinstance(exc.extra, list) else []:
        if isinstance(item, dict):
            out.append({"field": str(item.get("key") or item.get("source") or "body"), "reason": str(item.get("message"))})
    return out


def exception_handlers(
    page_answer: PageAnswer | None = None,
) -> dict[type[Exception], Callable[..., Response[Any]]]:
    """The app's handlers of every error: a problem document, or ``page_answer``'s page for a page request."""

    def answer(request: Request[Any, Any, Any], **problem_args: Any) -> Response[Any]:
        page = page_answer(request, **problem_args) if page_answer is not None else None
        return page if page is not None else problem(request, **problem_args)

    def handle_domain_error(request: Request[Any, Any, Any], exc: errors.AftersalesError) -> Response[Any]:
        status = next((s for t, s in STATUS_BY_ERROR.items() if isinstance(exc, t)), 400)
        if status == HTTP_500_INTERNAL_SERVER_ERROR:
            logger.error("internal isolation error on %s: %s", request.url.path, exc.detail)
            return handle_unexpected(request, exc)
        field_errors = [_field_error(e) for e in getattr(exc, "errors", [])]
        headers = None
        if status == 401:
            headers = {"WWW-Authenticate": 'Bearer error="invalid_token"'}
        elif isinstance(exc, errors.RateLimited):
            headers = {"Retry-After": str(exc.retry_after)}
        extra = {"error_id": exc.error_id} if isinstance(exc, errors.PluginFailed) else {}
        return answer(
            request, status=status, title=exc.title, detail=exc.detail, kind=_kind(exc),
            field_errors=field_errors, headers=headers, **_coded(exc.code, exc.params), **extra,
        )

    def handle_http_error(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
        if isinstance(exc, ValidationException):
            return answer(
                request, status=400, title="Invalid input", detail="the request is invalid",
                kind="invalid-input", field_errors=_validation_field_errors(exc),
            )
        status = exc.status_code
        if status >= 500:
            return handle_unexpected(request, exc)
        title = {401: "Authentication required", 403: "Permission denied", 404: "Not found",
                 405: "Method not allowed", 429: "Too many requests"}.get(status, "Request failed")
        return answer(request, status=status, title=title, detail=exc.detail, kind=title.lower().replace(" ", "-"),
                       headers=exc.headers)

    def handle_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
        if database_unreachable(exc):
            return handle_database_unreachable(request, exc)
        logger.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return answer(
            request, status=HTTP_500_INTERNAL_SERVER_ERROR, title="Internal error",
            detail="something went wrong on our side; it has been logged", kind="internal-error",
        )

    def handle_database_unreachable(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
        DB_UNAVAILABLE.inc()
        logger.warning("database unreachable on %s %s: %s: %s", request.method, request.url.path,
                       type(exc).__name__, str(exc).splitlines()[0] if str(exc) else "")
        return answer(
            request, status=503, title="Service unavailable", kind="database-unavailable",
            detail="the database cannot be reached at the moment; try again shortly",
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )

    return {
        errors.AftersalesError: handle_domain_error,
        HTTPException: handle_http_error,
        Exception: handle_unexpected,
    }


__all__ = ["PROBLEM_JSON", "PageAnswer", "exception_handlers", "problem"]

"""The API contract: every status an operation can answer is in the OpenAPI document, with its problem schema.

Litestar documents an operation's success answer and a generic 400; everything else a client meets comes from
the layers around the handler, and is derived here from the route's own metadata when the route is registered
(:class:`ApiContract`, a Litestar ``ReceiveRoutePlugin``), so a new route is documented without a line:

============================================  =========================================================
what the route has                            what it can answer (``application/problem+json``)
============================================  =========================================================
parameters or a body                          400 (malformed: Litestar's validation), 422 (a rule broken:
                                              :class:`~aftersales.errors.InvalidInput`, e.g. a serial)
a body (``data``, or READS_BODY_ITSELF)       413 (larger than the route or Litestar's limit allows)
the bearer middleware (not excluded)          401 (a bad or expired token; no token on a guarded route)
guards, or a tenant dependency                403 (wrong scope, a suspended tenant)
path parameters, or a tenant dependency       404
a write (POST, PUT, PATCH, DELETE)            409 (the resource's state, a unique key, an idempotency key)
every route                                   503 (database unavailable; a tenant's vertical failing)
============================================  =========================================================

What no metadata says (a rate limit, a sign-in's refusal) is listed per operation id in
:data:`EXTRA_STATUSES`. A status a route documents itself (``responses=`` on its decorator) is kept.
``tests/http/test_api_contract.py`` and the recorder in ``tests/support/api_contract.py`` check that every answer
the suite observes is documented (docs/testing.md).
"""

from __future__ import annotations

from copy import copy
from dataclasses import dataclass
from datetime import time
from typing import TYPE_CHECKING, Any

from litestar.constants import RESERVED_KWARGS
from litestar.handlers import HTTPRouteHandler
from litestar.openapi import OpenAPIConfig
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import (
    Components,
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    Operation,
    Schema,
    SecurityScheme,
)
from litestar.plugins import OpenAPISchemaPlugin, ReceiveRoutePlugin
from litestar.routes import BaseRoute, HTTPRoute
from litestar.typing import FieldDefinition

from aftersales.http.problems import PROBLEM_JSON

if TYPE_CHECKING:
    from litestar._openapi.schema_generation import SchemaCreator


@dataclass
class FieldProblem:
    """One invalid field of a problem document: where (dotted path) and why; ``code``/``params`` name the rule."""

    field: str
    reason: str
    code: str | None = None
    params: dict[str, Any] | None = None
    message: dict[str, Any] | None = None


@dataclass
class Problem:
    """An RFC 9457 problem document; ``errors`` lists every invalid field, ``code``/``params`` the broken rule,
    ``error_id`` the log entry of a failing plugin, ``request_id`` the request's id in the logs (also the
    ``X-Request-ID`` header), for a user to quote. Other extension members may follow (RFC 9457 §3.2)."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: list[FieldProblem] | None = None
    code: str | None = None
    params: dict[str, Any] | None = None
    error_id: str | None = None
    request_id: str | None = None


DESCRIPTIONS = {
    400: "Malformed request: a parameter or the body does not parse or has the wrong type",
    401: "No valid access token",
    403: "The token may not do this, or the tenant is suspended",
    404: "No such resource (or tenant)",
    409: "Conflicts with the resource's current state",
    413: "The body is larger than allowed",
    422: "The input breaks a rule; every invalid field is listed",
    429: "Too many requests; Retry-After says when to try again",
    503: "Temporarily unavailable (database, or the tenant's vertical rules); try again later",
}

WRITES = {"POST", "PUT", "PATCH", "DELETE"}
READS_BODY_ITSELF = frozenset({"issueToken", "importSerials", "attachProofOfPurchase", "fileProviderDocument",
                               "receiveStripeEvent", "importStock"})
"""Operations that read the request's body by hand (a form, an upload, a signed event), with no ``data``."""
EXTRA_STATUSES: dict[str, frozenset[int]] = {}
"""Statuses no route metadata reveals, per operation id: rate limits, refused sign-ins."""


def _extra(statuses: tuple[int, ...], *operation_ids: str) -> None:
    for operation_id in operation_ids:
        EXTRA_STATUSES[operation_id] = EXTRA_STATUSES.get(operation_id, frozenset()) | frozenset(statuses)


_extra((400, 401, 429), "issueToken")
_extra((401, 429), "staffLogin", "staffLoginByPath", "operatorLogin")
_extra((429,), "checkWarranty", "checkWarrantyByPath")


AS_FILED = {200: ResponseSpec(bytes, media_type="*/*", generate_examples=False,
                             description="The file as it was filed, in the media type it was filed with")}
"""``responses=`` of a route that answers a stored file (a provider's document, a proof of purchase)."""


def problem_response(status: int) -> ResponseSpec:
    """The documented problem answer for ``status``."""
    return ResponseSpec(data_container=Problem, media_type=PROBLEM_JSON, description=DESCRIPTIONS[status],
                        generate_examples=False)


def derived_statuses(route: HTTPRoute, handler: HTTPRouteHandler) -> set[int]:
    """The error statuses ``handler`` can answer on ``route``, from its metadata and :data:`EXTRA_STATUSES`."""
    dependencies = handler.resolve_dependencies()
    signature = handler.parsed_fn_signature.parameters
    writes = bool(WRITES & set(handler.http_methods))
    has_body = ("data" in signature or any("data" in d.parsed_fn_signature.parameters for d in dependencies.values())
                or handler.operation_id in READS_BODY_ITSELF)
    path_params = set(route.path_parameters)
    queries = {name for name in signature if name not in RESERVED_KWARGS and name not in dependencies
               and name not in path_params}
    tenant_bound = "tenant" in dependencies
    statuses = {503}
    if has_body or queries or path_params:
        statuses |= {400, 422}
    if has_body:
        statuses.add(413)
    if not handler.opt.get("exclude_from_auth"):
        statuses.add(401)
    if handler.resolve_guards() or tenant_bound:
        statuses.add(403)
    if path_params or tenant_bound:
        statuses.add(404)
    if writes:
        statuses.add(409)
    return statuses | EXTRA_STATUSES.get(handler.operation_id or "", frozenset())


TIME_OF_DAY = Schema(type=OpenAPIType.STRING, pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?$",
                     description="A time of day, HH:MM or HH:MM:SS, in the tenant's time zone")
"""Litestar documents ``datetime.time`` as ``format: duration`` (ISO 8601 ``PT…``), which it is not; and JSON
Schema's ``format: time`` needs an offset our times of day do not carry. So: the pattern they have."""


class ApiContract(ReceiveRoutePlugin, OpenAPISchemaPlugin):
    """Documents, on every API route as it is registered, the problem answers :func:`derived_statuses` finds;
    and documents a time of day as what it is (:data:`TIME_OF_DAY`)."""

    @staticmethod
    def is_plugin_supported_type(value: Any) -> bool:
        return value is time

    def to_openapi_schema(self, field_definition: FieldDefinition, schema_creator: SchemaCreator) -> Schema:
        return copy(TIME_OF_DAY)

    def receive_route(self, route: BaseRoute) -> None:
        if not isinstance(route, HTTPRoute):
            return
        for handler in route.route_handlers:
            if not handler.resolve_include_in_schema():
                continue
            own = dict(handler.responses or {})
            derived = {status: problem_response(status) for status in derived_statuses(route, handler)}
            handler.responses = {**derived, **own}


@dataclass
class JsonOrCsvOperation(Operation):
    """An operation whose 200 is JSON, or the same rows as CSV text when the caller asks for ``format=csv``
    (Litestar documents one media type per status; this adds ``text/csv`` beside the JSON one)."""

    def __post_init__(self) -> None:
        ok = (self.responses or {}).get("200")
        if isinstance(ok, OpenAPIResponse) and ok.content is not None:
            ok.content["text/csv"] = OpenAPIMediaType(schema=Schema(type=OpenAPIType.STRING))


def api_document(version: str) -> OpenAPIConfig:
    """The OpenAPI configuration of the API (served at ``/schema``)."""
    return OpenAPIConfig(
        title="aftersales API",
        version=version,
        path="/schema",
        components=Components(
            security_schemes={
                "bearer": SecurityScheme(type="http", scheme="bearer", bearer_format="JWT",
                                         description="Access token from /oauth/token or a sign-in endpoint"),
            }
        ),
        security=[{"bearer": []}],
    )


__all__ = ["AS_FILED", "EXTRA_STATUSES", "ApiContract", "FieldProblem", "JsonOrCsvOperation", "Problem", "api_document",
           "derived_statuses"]

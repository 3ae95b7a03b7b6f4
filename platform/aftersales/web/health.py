"""``/health``: is this process able to serve (database reachable, plugins loaded)?

``ok``: everything serves. ``degraded`` (still 200: the process serves every other tenant): a plugin failed to
load, or some active tenant's vertical is not loaded here; each failing plugin is listed with its reason and
how many active tenants it leaves without their rules. Which tenants those are (slugs) is shown to an operator's
token only: anyone may probe ``/health``, and the customer list of the platform is not public.
``unavailable`` (503): the database does not answer.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get
from litestar.openapi.datastructures import ResponseSpec
from sqlalchemy import select, text

from aftersales.errors import AftersalesError
from aftersales.http.context import RuntimeDep
from aftersales.plugins import PluginRegistry
from aftersales.runtime import Runtime
from aftersales.tenancy.models import Tenant


def _is_operator(request: Request[Any, Any, Any], runtime: Runtime) -> bool:
    """Whether the request carries a valid token of the platform (an operator or an operator client)."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return False
    try:
        return runtime.tokens.verify(token).tenant_id is None
    except AftersalesError:
        return False


async def failing_plugins(runtime: Runtime) -> list[dict[str, Any]]:
    """Each plugin active tenants need that is not loaded here: its name, the reason, the tenants it affects
    (a failed vertical disables its tenants; a failed add-on only leaves its own rules out)."""
    registry: PluginRegistry = runtime.plugins
    loaded = list(registry.infos)
    query = select(Tenant.slug, Tenant.vertical, Tenant.addons).where(Tenant.status == "active")
    if not registry.failures:  # then only tenants on a vertical never installed here can be affected
        query = query.where(Tenant.vertical.not_in(loaded))
    async with runtime.db.platform_session() as session:
        rows = (await session.execute(query.order_by(Tenant.slug))).all()
    affected: dict[str, list[str]] = {name: [] for name in registry.failures}
    for slug, vertical, addons in rows:
        for name in (vertical, *addons):
            if name not in registry.infos and (name in registry.failures or name == vertical):
                affected.setdefault(name, []).append(slug)
    return [{"name": name, "reason": registry.unavailable_reason(name), "tenants": slugs}
            for name, slugs in sorted(affected.items())]


@get("/health", operation_id="health", exclude_from_auth=True, tags=["platform"],
     responses={503: ResponseSpec(dict[str, Any], description="unavailable: the database does not answer")})
async def health(request: Request[Any, Any, Any], runtime: RuntimeDep) -> Response[dict[str, object]]:
    """200 ``ok`` or ``degraded`` (failing plugins listed, with the tenants they affect counted; their slugs for
    an operator's token); 503 ``unavailable`` when the database does not answer or has no schema yet."""
    database = "ok"
    failing: list[dict[str, Any]] = []
    try:
        async with runtime.db.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
        failing = await failing_plugins(runtime)
    except Exception as exc:  # any driver error (no server, no schema yet) means not healthy; the reason is shown
        database = f"error: {type(exc).__name__}"
    if database != "ok":
        body: dict[str, object] = {"status": "unavailable", "database": database, "plugins": runtime.plugins.names,
                                   "plugins_disabled": sorted(runtime.plugins.failures)}
        return Response(body, status_code=503)
    operator = _is_operator(request, runtime) if failing else False
    body = {
        "status": "degraded" if failing else "ok",
        "database": database,
        "plugins": runtime.plugins.names,
        "plugins_disabled": sorted(runtime.plugins.failures),
        "failing_plugins": [
            {"name": f["name"], "reason": f["reason"], "tenants_affected": len(f["tenants"]),
             **({"tenants": f["tenants"]} if operator else {})}
            for f in failing
        ],
    }
    return Response(body, status_code=200)

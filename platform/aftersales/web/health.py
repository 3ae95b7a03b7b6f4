"""``/health``: is this process able to serve (database reachable, plugins loaded)?"""

from __future__ import annotations

from litestar import Response, get
from sqlalchemy import text

from aftersales.http.context import RuntimeDep


@get("/health", operation_id="health", exclude_from_auth=True, tags=["platform"])
async def health(runtime: RuntimeDep) -> Response[dict[str, object]]:
    """200 when the database answers; 503 otherwise. Lists plugins that failed to load."""
    database = "ok"
    try:
        async with runtime.db.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except Exception as exc:  # any driver error means not healthy; the reason is shown to operators
        database = f"error: {type(exc).__name__}"
    body = {
        "status": "ok" if database == "ok" else "unavailable",
        "database": database,
        "plugins": runtime.plugins.names,
        "plugins_disabled": sorted(runtime.plugins.failures),
    }
    return Response(body, status_code=200 if database == "ok" else 503)

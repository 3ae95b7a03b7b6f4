"""A database that cannot be reached is a 503 with ``Retry-After`` on every route, API and pages alike, not a
500; and the same routes answer again once it is back, with nothing done by hand (issue 22 §1.5).

On PostgreSQL the test's real server is stopped and started again (``pg_ctl``), so pooled connections die
under the application as in an outage; on SQLite the database file's directory goes away and comes back (a
disk unmounted), SQLite's "unable to open database file"."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import exc as sa

from aftersales.db.outage import database_unreachable

WRONG_LOGIN = {"email": "nobody@alpha-demo.com", "password": "not-the-password"}


@contextmanager
def database_down(backend, postgres) -> Iterator[None]:
    if backend.name == "postgresql":
        if postgres is None or postgres.server is None or postgres._dir is None:
            pytest.skip("needs a PostgreSQL server this test run started (not AFTERSALES_TEST_POSTGRES_URL)")
        postgres.pause()
        try:
            yield
        finally:
            postgres.resume()
        return
    folder = Path(backend.app_url.removeprefix("sqlite+aiosqlite:///")).parent
    away = folder.with_name(folder.name + "-unmounted")
    folder.rename(away)
    try:
        yield
    finally:
        away.rename(folder)


async def _answers(client):
    return {
        "login": await client.post("/t/alpha/auth/login", json=WRONG_LOGIN),
        "public check": await client.post("/public/t/alpha/warranty/check", json={"serial": "490154203237518"}),
        "portal page": await client.get("/t/alpha/check", headers={"Accept-Language": "fa"}),
    }


async def test_every_route_answers_503_with_retry_after_while_the_database_is_down(
        client, runtime, make_tenant, backend, postgres):
    await make_tenant("alpha")
    before = {name: response.status_code for name, response in (await _answers(client)).items()}
    assert all(status < 500 for status in before.values()), before
    await runtime.db.dispose()  # SQLite: no connection opened before the outage keeps the file
    with database_down(backend, postgres):
        down = await _answers(client)
        health = await client.get("/health")
    assert health.status_code == 503
    for name, response in down.items():
        assert response.status_code == 503, (name, response.text[:300])
        assert response.headers["retry-after"] == "10", name
        rid = response.headers["x-request-id"]
        if name == "portal page":
            assert response.headers["content-type"].startswith("text/html")
            assert "در حال حاضر به اطلاعات خود دسترسی نداریم" in response.text and rid in response.text
        else:
            assert response.headers["content-type"].startswith("application/problem+json"), name
            body = response.json()
            assert body["type"].endswith("/database-unavailable") and body["request_id"] == rid, name
    after = {name: response.status_code for name, response in (await _answers(client)).items()}
    assert after == before


@pytest.mark.parametrize("error", [
    sa.TimeoutError("QueuePool limit of size 20 overflow 10 reached"),
    sa.OperationalError("SELECT 1", {}, sqlite3.OperationalError("unable to open database file")),
    sa.OperationalError("INSERT …", {}, sqlite3.OperationalError("database is locked")),
])
def test_an_outage_is_told_apart(error):
    assert database_unreachable(error)


@pytest.mark.parametrize("error", [
    sa.OperationalError("SELECT * FROM nothing", {}, sqlite3.OperationalError("no such table: nothing")),
    sa.IntegrityError("INSERT …", {}, sqlite3.IntegrityError("UNIQUE constraint failed: serials.serial")),
    ConnectionRefusedError(111, "a webhook receiver refused"),  # not raised by the database pool
    ValueError("a bug"),
])
def test_a_failed_statement_or_another_error_is_not_an_outage(error):
    assert not database_unreachable(error)


def test_an_outage_behind_another_error_is_still_an_outage():
    try:
        try:
            raise sa.TimeoutError("pool exhausted")
        except sa.TimeoutError as inner:
            raise RuntimeError("while loading the tenant") from inner
    except RuntimeError as outer:
        assert database_unreachable(outer)

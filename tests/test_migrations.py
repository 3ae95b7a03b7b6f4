"""Migrations are the one source of schema: the same revisions on SQLite and PostgreSQL, and no drift."""

from __future__ import annotations

from aftersales.migrate import schema_drift


async def test_models_and_migrations_agree(backend):
    drift = await schema_drift(backend.owner_url)
    assert drift == [], f"models and migrations disagree; write a migration: {drift}"


def test_migrating_again_is_a_no_op(backend, base_settings):
    import asyncio
    from dataclasses import replace

    from aftersales.migrate import upgrade

    upgrade(replace(base_settings, database_app_role=None), url=backend.owner_url)
    assert asyncio.run(schema_drift(backend.owner_url)) == []

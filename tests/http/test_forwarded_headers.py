"""X-Forwarded-For is believed only from the proxies in AFTERSALES_TRUSTED_PROXIES (none by default), so a local
client cannot choose the address its rate limits are counted under, whether served by ``aftersales serve``
(uvicorn) or not."""

from __future__ import annotations

from dataclasses import replace

import httpx
import pytest
from sqlalchemy import select

from aftersales.app import create_app
from aftersales.settings import load_settings
from aftersales.warranty.authenticity import client_key
from aftersales.warranty.models import SerialCheck

CLAIMED = "203.0.113.9"


async def _counted_as(runtime, tenant, peer: str, *, trusted: tuple[str, ...], served=lambda app: app) -> set[str]:
    """The addresses a check from ``peer`` claiming to forward for :data:`CLAIMED` is logged under; ``served``
    wraps the app as the server does."""
    tuned = replace(runtime, settings=replace(runtime.settings, trusted_proxies=trusted))
    transport = httpx.ASGITransport(app=served(create_app(tuned)), client=(peer, 4321))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as client:
        answer = await client.post("/public/t/mehr/warranty/check", json={"serial": "490154203237518"},
                                   headers={"X-Forwarded-For": f"198.51.100.1, {CLAIMED}"})
        assert answer.status_code == 200
    async with runtime.db.transaction(tenant.id) as session:
        keys = set(await session.scalars(select(SerialCheck.client_key)))
    return {address for address in (peer, CLAIMED) if client_key(runtime.code_key, address) in keys}


def as_served(monkeypatch):
    """The app wrapped as ``aftersales serve`` has uvicorn wrap it (uvicorn's own middleware included)."""
    import uvicorn

    from aftersales.cli.main import serve

    ran = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: ran.update(options))
    serve.callback(host="127.0.0.1", port=8000, reload=False)
    options = {k: v for k, v in ran.items() if k not in {"factory", "reload", "reload_dirs", "log_level"}}

    def wrap(app):
        config = uvicorn.Config(app, **{**options, "log_config": None})
        config.load()
        return config.loaded_app

    return wrap


async def test_a_local_clients_forwarded_for_is_ignored_by_default(runtime, make_tenant, monkeypatch):
    mehr = await make_tenant("mehr")
    assert runtime.settings.trusted_proxies == ()
    assert await _counted_as(runtime, mehr, "127.0.0.1", trusted=(), served=as_served(monkeypatch)) == {"127.0.0.1"}


async def test_forwarded_for_is_honoured_from_a_configured_proxy_only(runtime, make_tenant, monkeypatch):
    mehr = await make_tenant("mehr")
    assert await _counted_as(runtime, mehr, "10.0.0.5", trusted=("127.0.0.1",)) == {"10.0.0.5"}
    assert await _counted_as(runtime, mehr, "10.0.0.5", trusted=("10.0.0.0/24",),
                             served=as_served(monkeypatch)) == {"10.0.0.5", CLAIMED}


def test_the_setting_reads_addresses_and_networks_and_refuses_anything_else(monkeypatch):
    monkeypatch.setenv("AFTERSALES_TRUSTED_PROXIES", " 10.0.0.5, 10.1.0.0/16 ,::1")
    assert load_settings().trusted_proxies == ("10.0.0.5", "10.1.0.0/16", "::1")
    monkeypatch.setenv("AFTERSALES_TRUSTED_PROXIES", "10.0.0.5, proxy.internal")
    with pytest.raises(ValueError, match="'proxy.internal' is not an IP address or network"):
        load_settings()
    monkeypatch.delenv("AFTERSALES_TRUSTED_PROXIES")
    assert load_settings().trusted_proxies == ()

"""The long-lived parts of one aftersales process, built once and shared by the app, the CLI and tests."""

from __future__ import annotations

from dataclasses import dataclass

from aftersales.db import Database
from aftersales.identity.tokens import TokenService, load_or_create_signing_key
from aftersales.keys import load_or_create_code_key
from aftersales.plugins import PluginRegistry, build_plugin_registry
from aftersales.settings import Settings, load_settings


@dataclass
class Runtime:
    """Settings, database, plugins and token service: everything a request handler may need."""

    settings: Settings
    db: Database
    plugins: PluginRegistry
    tokens: TokenService
    code_key: bytes
    """HMAC key for warranty card and hologram codes (see :mod:`aftersales.warranty.serials.codes`)."""

    async def close(self) -> None:
        await self.db.dispose()


def build_runtime(settings: Settings | None = None, plugins: PluginRegistry | None = None) -> Runtime:
    """Build the runtime from ``settings`` (default: the environment) and ``plugins`` (default: installed)."""
    settings = settings or load_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    key = load_or_create_signing_key(settings.signing_key_pem, settings.data_dir / "signing-key.pem")
    return Runtime(
        settings=settings,
        db=Database(settings.database_url, transaction_pooler=settings.db_transaction_pooler,
                    pool_size=settings.db_pool_size, max_overflow=settings.db_max_overflow),
        plugins=plugins or build_plugin_registry(),
        tokens=TokenService(
            key=key,
            issuer=settings.base_url.rstrip("/"),
            audience=settings.token_audience,
            lifetime_seconds=settings.access_token_seconds,
        ),
        code_key=load_or_create_code_key(settings.code_key, settings.data_dir / "code-key"),
    )

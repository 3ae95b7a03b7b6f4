"""Configuration from the environment.

Every setting is an ``AFTERSALES_*`` variable with a default that works on a laptop (embedded SQLite under
``var/``, a signing key generated on first use). Production sets the database URLs, the public base URL and a
signing key from its secret store.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
STRIPE_API = "https://api.stripe.com"
"""Stripe's own API; ``AFTERSALES_STRIPE_API_BASE`` points elsewhere (a local Stripe-compatible server)."""


def _env(name: str, default: str) -> str:
    return os.environ.get(f"AFTERSALES_{name}", default)


def _flag(value: str | None) -> bool | None:
    """``1/true/yes/on`` or ``0/false/no/off``; None when unset or empty."""
    if not value:
        return None
    if value.strip().lower() in {"1", "true", "yes", "on"}:
        return True
    if value.strip().lower() in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"not a yes/no value: {value!r}")


def _networks(value: str) -> tuple[str, ...]:
    """Comma-separated IP addresses or networks, each checked; empty for an unset or empty value."""
    networks = tuple(item.strip() for item in value.split(",") if item.strip())
    for item in networks:
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise ValueError(f"AFTERSALES_TRUSTED_PROXIES: {item!r} is not an IP address or network") from None
    return networks


@dataclass(frozen=True)
class Settings:
    """Process-wide configuration, read once by :func:`load_settings`."""

    database_url: str
    """What the application connects with. On PostgreSQL: a role that does not own the tables (NOBYPASSRLS)."""
    migration_database_url: str
    """What ``aftersales migrate`` connects with: the owner of the tables."""
    database_app_role: str | None
    """PostgreSQL role granted table privileges after migrating (the role in ``database_url``)."""
    base_url: str
    """Public URL of the platform; the issuer of its access tokens."""
    base_domain: str
    """Portal hosts are ``{slug}.{base_domain}``."""
    data_dir: Path
    signing_key_pem: str | None
    code_key: str | None = None
    """Key of the HMAC that stores warranty card and hologram codes (generated into data_dir when unset)."""
    access_token_seconds: int = 900
    tenants_dir: Path = field(default=REPO_ROOT / "tenants")
    migrations_dir: Path = field(default=REPO_ROOT / "migrations")
    smtp_url: str = "smtp://localhost:1025"
    """Where e-mail goes: ``smtp://[user:password@]host:port`` (STARTTLS when the server offers it;
    ``?starttls=require`` insists on it), or ``smtps://`` for TLS from the first byte."""
    mail_from: str = "aftersales <noreply@localhost>"
    """The From of every e-mail; replies go to the tenant's support address (branding ``support_email``)."""
    outbox_lease_seconds: int = 60
    """How long a worker holds a message it is delivering; a worker that dies leaves it due again after this."""
    embedded_worker: bool | None = None
    """Run the worker inside the server process; unset means yes on SQLite, no on PostgreSQL."""
    webhook_key: str | None = None
    """Fernet key that encrypts webhook endpoint secrets at rest (generated into data_dir when unset)."""
    webhook_private_targets: bool = False
    """Let webhook endpoints be this machine or a private network (development and tests). Off, a URL whose host
    is or resolves to a loopback, private, link-local or reserved address is refused, so a tenant admin cannot
    make the server post into the network it runs in (cloud metadata, internal services)."""
    trusted_proxies: tuple[str, ...] = ()
    """Addresses or networks of the reverse proxies in front of the server (``AFTERSALES_TRUSTED_PROXIES``,
    comma-separated: ``10.0.0.5, 10.1.0.0/16``). Only a request from one of them has its ``X-Forwarded-For``
    and ``X-Forwarded-Proto`` believed (:mod:`aftersales.http.forwarded`); by default none is, so no client
    chooses the address its rate limits are counted under."""
    db_pool_size: int = 20
    """Connections each process keeps open. At least the requests one process serves at once: below that,
    connections are opened and closed under load (a new thread each on SQLite, a new backend on PostgreSQL)."""
    db_max_overflow: int = 10
    """Extra connections opened for a burst beyond ``db_pool_size``, closed again when returned."""
    db_transaction_pooler: bool = False
    """PostgreSQL is reached through a transaction-mode pooler (PgBouncer ``pool_mode = transaction``), where
    consecutive statements outside a transaction may run on different server connections. The hot read path
    then opens a read-only transaction per read instead of keeping the tenant on its connections."""
    stripe_api_base: str = "https://api.stripe.com"
    """Where Stripe's API is (tests point it at a local Stripe-compatible server)."""
    stripe_credentials_key: str | None = None
    """Key that encrypts tenants' Stripe secret keys at rest (generated into data_dir when unset)."""
    metrics_token: str | None = None
    """A bearer token that may read ``/metrics`` (what a Prometheus scraper sends); operators' access tokens
    may read it too. Unset, only operators can (docs/operations.md)."""
    cookie_secure: bool = True
    """Mark page cookies ``Secure``. Browsers take them from ``http://localhost`` as well; turn off only to reach
    a development server by another plain-HTTP name."""

    @property
    def token_audience(self) -> str:
        """The audience every API access token is minted for and checked against."""
        return f"{self.base_url.rstrip('/')}/api"

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith("postgresql")

    @property
    def runs_embedded_worker(self) -> bool:
        """Whether the server runs the worker loop itself (the embedded default on SQLite)."""
        return (not self.is_postgres) if self.embedded_worker is None else self.embedded_worker


def load_settings() -> Settings:
    """Read the settings from the environment."""
    data_dir = Path(_env("DATA_DIR", str(REPO_ROOT / "var")))
    default_db = f"sqlite+aiosqlite:///{data_dir / 'aftersales.db'}"
    database_url = _env("DATABASE_URL", default_db)
    key_file = os.environ.get("AFTERSALES_SIGNING_KEY_FILE")
    signing_key = os.environ.get("AFTERSALES_SIGNING_KEY") or (Path(key_file).read_text() if key_file else None)
    return Settings(
        database_url=database_url,
        migration_database_url=_env("MIGRATION_DATABASE_URL", database_url),
        database_app_role=os.environ.get("AFTERSALES_DATABASE_APP_ROLE") or None,
        base_url=_env("BASE_URL", "http://127.0.0.1:8000"),
        base_domain=_env("BASE_DOMAIN", "localhost"),
        data_dir=data_dir,
        signing_key_pem=signing_key,
        code_key=os.environ.get("AFTERSALES_CODE_KEY") or None,
        access_token_seconds=int(_env("ACCESS_TOKEN_SECONDS", "900")),
        smtp_url=_env("SMTP_URL", "smtp://localhost:1025"),
        mail_from=_env("MAIL_FROM", "aftersales <noreply@localhost>"),
        outbox_lease_seconds=int(_env("OUTBOX_LEASE_SECONDS", "60")),
        embedded_worker=_flag(os.environ.get("AFTERSALES_EMBEDDED_WORKER")),
        webhook_key=os.environ.get("AFTERSALES_WEBHOOK_KEY") or None,
        webhook_private_targets=_flag(os.environ.get("AFTERSALES_WEBHOOK_PRIVATE_TARGETS")) or False,
        trusted_proxies=_networks(os.environ.get("AFTERSALES_TRUSTED_PROXIES", "")),
        db_pool_size=int(_env("DB_POOL_SIZE", "20")),
        db_max_overflow=int(_env("DB_MAX_OVERFLOW", "10")),
        db_transaction_pooler=_flag(os.environ.get("AFTERSALES_DB_TRANSACTION_POOLER")) or False,
        stripe_api_base=_env("STRIPE_API_BASE", STRIPE_API),
        stripe_credentials_key=os.environ.get("AFTERSALES_STRIPE_CREDENTIALS_KEY") or None,
        cookie_secure=_flag(os.environ.get("AFTERSALES_COOKIE_SECURE")) is not False,
        metrics_token=os.environ.get("AFTERSALES_METRICS_TOKEN") or None,
    )

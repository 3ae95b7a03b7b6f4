"""What every benchmark needs the same way: a work folder, settings with a generated signing key, and fresh
databases on SQLite or on one throwaway PostgreSQL server, started once and stopped at the end.

    with Bench("provider-search", choice) as bench:
        for db in bench.backends:
            target, settings = bench.database(db, "search")
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from types import TracebackType
from typing import Self

from joserfc.jwk import ECKey

from aftersales.settings import Settings, load_settings
from aftersales.testing.postgres import APP_ROLE, OWNER_ROLE, ThrowawayPostgres

BACKENDS = ("sqlite", "postgresql")
"""``--db`` choices besides ``both``."""


@dataclass(frozen=True)
class Target:
    """One migrated-to-be database: the URLs the application and the owner connect with, and the bulk loader's."""

    db: str
    app_url: str
    owner_url: str
    loader: str
    """SQLite: the file. PostgreSQL: a superuser DSN (``COPY`` into tables with row-level security)."""

    @property
    def superuser_url(self) -> str:
        """An async SQLAlchemy URL that bypasses row-level security (a floor's bare connection)."""
        if self.db == "sqlite":
            return self.app_url
        return self.loader.replace("postgresql://", "postgresql+asyncpg://", 1)


class Bench:
    """A benchmark run's work folder, settings and databases; a context manager that cleans up after itself."""

    def __init__(self, name: str, choice: str = "both") -> None:
        self.backends = list(BACKENDS) if choice == "both" else [choice]
        self.work = Path(tempfile.mkdtemp(prefix=f"aftersales-{name}-"))
        self.settings = replace(load_settings(), data_dir=self.work,
                                signing_key_pem=ECKey.generate_key("P-256", private=True).as_pem(private=True).decode())
        self._server: ThrowawayPostgres | None = None

    def database(self, db: str, name: str) -> tuple[Target, Settings]:
        """A fresh empty database on ``db`` and the settings to run the application against it."""
        if db == "sqlite":
            path = self.work / f"{name}.db"
            url = f"sqlite+aiosqlite:///{path}"
            return Target(db, url, url, str(path)), self.settings
        self._server = self._server or ThrowawayPostgres().start()
        created = self._server.create_database()
        target = Target(db, self._server.url(created, role=APP_ROLE), self._server.url(created, role=OWNER_ROLE),
                        self._server.admin_dsn(created))
        return target, replace(self.settings, database_app_role=APP_ROLE)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._server is not None:
            self._server.stop()
        shutil.rmtree(self.work, ignore_errors=True)  # a million-row run leaves gigabytes of databases


def percentile(values: list[float], p: float) -> float:
    """The ``p``-th percentile (1–99) of ``values``, inclusive method."""
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]

"""A throwaway PostgreSQL server for tests and benchmarks, started from the machine's binaries.

``ThrowawayPostgres`` runs ``initdb`` and ``pg_ctl`` in a temporary directory on a free loopback port (as the
``postgres`` system user via ``runuser`` when we are root, since PostgreSQL refuses to run as root), with
durability switched off for speed and its files in memory (``/dev/shm``) when the machine has a memory-backed
directory: cloning the template database for one test takes ~0.1 s there against ~1 s on a virtual disk.
It creates the two roles production uses:

* ``aftersales_owner`` owns the tables and runs migrations (not a superuser, so FORCE RLS applies to it);
* ``aftersales_app`` is what the application connects as: no ownership, NOBYPASSRLS.

If ``AFTERSALES_TEST_POSTGRES_URL`` names an existing server (a superuser URL), that server is used instead;
several test processes may share it (role creation tolerates a concurrent twin).
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

from aftersales.testing.network import free_port

OWNER_ROLE = "aftersales_owner"
APP_ROLE = "aftersales_app"
ROLE_PASSWORD = "throwaway-test-password"  # a loopback-only server that lives for one test run


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL binaries and no ``AFTERSALES_TEST_POSTGRES_URL``."""


def find_bin_dir() -> Path | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if candidates:
        return Path(candidates[0]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def scratch_root() -> str | None:
    """Where the server's files go: ``/dev/shm`` when it is a writable directory, else the default temp dir."""
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK | os.X_OK) else None


@dataclass
class ServerInfo:
    host: str
    port: int
    superuser: str
    superuser_password: str | None

    def dsn(self, user: str, password: str | None, database: str) -> str:
        auth = f"{user}:{password}" if password else user
        return f"postgresql://{auth}@{self.host}:{self.port}/{database}"


class ThrowawayPostgres:
    """Start (or attach to) a PostgreSQL server and hand out fresh databases cloned from a template."""

    def __init__(self) -> None:
        self._dir: Path | None = None
        self._bin: Path | None = None
        self._options = ""
        self.server: ServerInfo | None = None

    # -- lifecycle ---------------------------------------------------------------------------------------

    def start(self) -> ThrowawayPostgres:
        external = os.environ.get("AFTERSALES_TEST_POSTGRES_URL")
        if external:
            parts = urlsplit(external)
            self.server = ServerInfo(parts.hostname or "127.0.0.1", parts.port or 5432,
                                     parts.username or "postgres", parts.password)
        else:
            self._start_local()
        self._ensure_roles()
        return self

    def _as_postgres(self, *cmd: str) -> list[str]:
        return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else list(cmd)

    def _start_local(self) -> None:
        self._bin = find_bin_dir()
        if self._bin is None:
            raise PostgresUnavailable("no PostgreSQL binaries found (install postgresql or set AFTERSALES_TEST_POSTGRES_URL)")
        self._dir = Path(tempfile.mkdtemp(prefix="aftersales-pg-", dir=scratch_root()))
        data = self._dir / "data"
        if os.geteuid() == 0:
            shutil.chown(self._dir, "postgres", "postgres")
        subprocess.run(
            self._as_postgres(str(self._bin / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                              "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"),
            check=True, capture_output=True,
        )
        for attempt in range(3):  # a free port can be taken between our probe and the server's bind
            port = free_port()
            options = (f"-p {port} -k {self._dir} -c listen_addresses=127.0.0.1 -c fsync=off "
                       "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
            started = subprocess.run(
                self._as_postgres(str(self._bin / "pg_ctl"), "-D", str(data), "-l", str(self._dir / "log"),
                                  "-o", options, "-w", "start"),
                check=False, capture_output=True,
            )
            if started.returncode == 0:
                self._options = options
                break
            if attempt == 2:
                started.check_returncode()
        self.server = ServerInfo("127.0.0.1", port, "postgres", None)

    def pause(self) -> None:
        """Stop the server, keeping its data, as an outage would (:meth:`resume` starts it again, same port).
        Only a server this object started can be paused."""
        assert self._dir is not None and self._bin is not None, "not a server this object started"
        subprocess.run(self._as_postgres(str(self._bin / "pg_ctl"), "-D", str(self._dir / "data"), "-m", "fast",
                                         "-w", "stop"), check=True, capture_output=True)

    def resume(self) -> None:
        """Start a :meth:`pause`-d server again on the same port."""
        assert self._dir is not None and self._bin is not None, "not a server this object started"
        subprocess.run(self._as_postgres(str(self._bin / "pg_ctl"), "-D", str(self._dir / "data"), "-l",
                                         str(self._dir / "log"), "-o", self._options, "-w", "start"),
                       check=True, capture_output=True)

    def stop(self) -> None:
        if self._dir is not None and self._bin is not None:
            subprocess.run(
                self._as_postgres(str(self._bin / "pg_ctl"), "-D", str(self._dir / "data"), "-m", "immediate", "stop"),
                check=False, capture_output=True,
            )
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None

    # -- roles and databases -----------------------------------------------------------------------------

    def admin_dsn(self, database: str = "postgres") -> str:
        assert self.server is not None
        return self.server.dsn(self.server.superuser, self.server.superuser_password, database)

    def _admin(self, *statements: str) -> None:
        with psycopg.connect(self.admin_dsn(), autocommit=True) as conn:
            for statement in statements:
                conn.execute(statement)

    def _ensure_roles(self) -> None:
        with psycopg.connect(self.admin_dsn(), autocommit=True) as conn:
            existing = {r[0] for r in conn.execute("SELECT rolname FROM pg_roles")}
            for role, extra in ((OWNER_ROLE, "CREATEDB"), (APP_ROLE, "NOBYPASSRLS")):
                if role not in existing:
                    try:
                        conn.execute(f"CREATE ROLE {role} LOGIN PASSWORD '{ROLE_PASSWORD}' NOSUPERUSER {extra}")
                    except (psycopg.errors.DuplicateObject, psycopg.errors.UniqueViolation):
                        pass  # another test process sharing this server created it first

    def url(self, database: str, *, role: str, driver: str = "postgresql+asyncpg") -> str:
        """A SQLAlchemy URL for ``database`` as ``role`` (``aftersales_owner`` or ``aftersales_app``)."""
        assert self.server is not None
        return self.server.dsn(role, ROLE_PASSWORD, database).replace("postgresql://", f"{driver}://", 1)

    def create_database(self, name: str | None = None, template: str | None = None) -> str:
        name = name or f"t_{uuid.uuid4().hex[:12]}"
        clause = f" TEMPLATE {template}" if template else ""
        self._admin(f"CREATE DATABASE {name} OWNER {OWNER_ROLE}{clause}")
        return name

    def drop_database(self, name: str) -> None:
        self._admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

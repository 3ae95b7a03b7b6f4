"""One application object reused across tests, because building one costs more than most tests.

Building the Litestar application (``create_app``) registers every controller, which deep-copies each handler's
signature model: 0.2-0.6 s on the 2-core CI machine, paid by every test that takes an HTTP client. The app holds
nothing of a test but ``state.runtime`` (handlers, guards and dependencies read the runtime from there on each
request), so a test can have the previous test's app pointed at its own runtime instead.
"""

from __future__ import annotations

from dataclasses import replace

from litestar import Litestar

from aftersales.app import create_app
from aftersales.runtime import Runtime
from aftersales.settings import Settings


def _shape(runtime: Runtime) -> tuple[Settings, int]:
    """What an app is built from, apart from the database it talks to (which each test has its own of)."""
    return replace(runtime.settings, database_url="", migration_database_url=""), id(runtime.plugins)


class AppCache:
    """``app_for(runtime)``: the app built for an earlier runtime of the same settings and plugins, now serving
    ``runtime``; a new app when the settings (other than the database URLs) or the plugin registry differ."""

    def __init__(self) -> None:
        self._shape: tuple[Settings, int] | None = None
        self._app: Litestar | None = None

    def app_for(self, runtime: Runtime) -> Litestar:
        shape = _shape(runtime)
        if self._app is None or shape != self._shape:
            self._app, self._shape = create_app(runtime), shape
        else:
            self._app.state.runtime = runtime
        return self._app

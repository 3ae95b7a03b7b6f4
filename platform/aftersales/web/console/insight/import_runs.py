"""The serial imports this process is running or ran lately: how far each has got, and its report.

An import runs inside its upload request; the page polls its progress from other requests, which find it here
by tenant and the import's id (a random id the form carries), so one tenant can never read another's. The
last :data:`KEPT_RUNS` runs are kept so their row errors can be downloaded. This lives in the process: with
several server processes, a poll must reach the process running the upload (sticky sessions) — a table would
lift that, and is the next step if imports move to a worker.
"""

from __future__ import annotations

import re
import uuid
from collections import OrderedDict
from dataclasses import dataclass

from aftersales.warranty.imports.services import ImportReport

KEPT_RUNS = 200
RUN_ID = re.compile(r"[0-9a-f]{32}")


@dataclass
class ImportRun:
    """One upload being imported: bytes received of the total announced, rows read, and the report at the end."""

    bytes_total: int | None
    bytes_read: int = 0
    rows_read: int = 0
    report: ImportReport | None = None
    failed: bool = False

    @property
    def done(self) -> bool:
        return self.report is not None or self.failed

    @property
    def percent(self) -> int:
        if self.done:
            return 100
        if not self.bytes_total:
            return 0
        return min(99, 100 * self.bytes_read // self.bytes_total)


_runs: OrderedDict[tuple[uuid.UUID, str], ImportRun] = OrderedDict()


def new_run_id() -> str:
    return uuid.uuid4().hex


def start(tenant_id: uuid.UUID, run_id: str, bytes_total: int | None) -> ImportRun:
    """Record a run starting (replacing one of the same id) and forget the oldest beyond :data:`KEPT_RUNS`."""
    run = ImportRun(bytes_total)
    _runs[(tenant_id, run_id)] = run
    _runs.move_to_end((tenant_id, run_id))
    while len(_runs) > KEPT_RUNS:
        _runs.popitem(last=False)
    return run


def find(tenant_id: uuid.UUID, run_id: str) -> ImportRun | None:
    """The tenant's run of this id, if this process has it."""
    return _runs.get((tenant_id, run_id))

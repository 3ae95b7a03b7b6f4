"""``aftersales demo`` stopped with SIGTERM (what ``docker stop``, systemd and a CI runner send) stops the local
Stripe-compatible server it started, as Ctrl-C does."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import aftersales
from aftersales.demo import localstripe
from aftersales.demo.ports import free_port


def children(pid: int) -> set[int]:
    """The processes ``pid`` started (Linux: ``/proc/<pid>/task/*/children``)."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        found |= {int(child) for child in (task / "children").read_text().split()}
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {seconds} s")
        time.sleep(0.1)  # polling for a condition, never waiting a fixed time to pass


@pytest.mark.skipif(not Path("/proc/self/task").is_dir() or not localstripe.available(),
                    reason="needs Linux /proc and localstripe")
def test_sigterm_stops_the_demo_and_its_local_stripe(tmp_path):
    core = Path(aftersales.__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(core), os.environ.get("PYTHONPATH", "")]),
           "AFTERSALES_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'demo.db'}",
           "AFTERSALES_DATA_DIR": str(tmp_path / "data"), "AFTERSALES_SMTP_URL": "smtp://127.0.0.1:9",
           "AFTERSALES_EMBEDDED_WORKER": "0", "AFTERSALES_LOG_FORMAT": "json"}
    for name in ("AFTERSALES_MIGRATION_DATABASE_URL", "AFTERSALES_STRIPE_API_BASE"):
        env.pop(name, None)
    log = tmp_path / "demo.log"
    with log.open("wb") as out:
        demo = subprocess.Popen([sys.executable, "-m", "aftersales.cli.main", "demo", "--port", str(free_port())],
                                env=env, stdout=out, stderr=subprocess.STDOUT)
    started: set[int] = set()
    try:
        wait_for(lambda: b"Application startup complete" in log.read_bytes() or demo.poll() is not None, 180,
                 "the demo serving")
        assert demo.poll() is None, log.read_text()[-2000:]
        [stripe] = started = children(demo.pid)
        demo.send_signal(signal.SIGTERM)
        demo.wait(timeout=30)
        wait_for(lambda: not alive(stripe), 15, "localstripe stopping")
    finally:
        if demo.poll() is None:
            demo.kill()
            demo.wait()
        for pid in started:  # what the demo failed to stop does not outlive the test
            if alive(pid):
                os.kill(pid, signal.SIGKILL)

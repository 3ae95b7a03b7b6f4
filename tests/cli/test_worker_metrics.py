"""``aftersales worker --metrics-port``: a worker in its own process serves its Prometheus metrics (passes,
items, plugin failures) on a local port, and its passes are counted there."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

import aftersales
from aftersales.demo.ports import free_port


def passes(port: int) -> float | None:
    try:
        text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=1).text
    except httpx.TransportError:
        return None
    line = next((line for line in text.splitlines()
                 if line.startswith('aftersales_worker_passes_total{outcome="completed"}')), None)
    return float(line.split()[-1]) if line else None


def test_a_separate_worker_serves_its_metrics(tmp_path):
    core = Path(aftersales.__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(core), os.environ.get("PYTHONPATH", "")]),
           "AFTERSALES_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'w.db'}",
           "AFTERSALES_DATA_DIR": str(tmp_path / "data")}
    env.pop("AFTERSALES_MIGRATION_DATABASE_URL", None)
    command = [sys.executable, "-m", "aftersales.cli.main"]
    subprocess.run([*command, "migrate"], env=env, check=True, capture_output=True)
    port = free_port()
    worker = subprocess.Popen([*command, "worker", "--interval", "0.1", "--metrics-port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while (counted := passes(port)) is None or counted < 2:
            assert worker.poll() is None and time.monotonic() < deadline, worker.stderr.read().decode()[-2000:]
            time.sleep(0.1)  # polling the metrics, not waiting a fixed time
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=30) == 0
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()

"""``aftersales plugin new``, end to end as a plugin author goes: generate a plugin into a temporary directory,
install it (into a directory of its own, never the shared environment), run its own tests (the conformance
check included), onboard its sample tenant into a fresh SQLite database and watch its hook answer over HTTP.

The slowest test of the CLI (a pip build and six Python children: ~30 s); it runs in ``make test``.
"""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

import aftersales
from aftersales.demo.ports import free_port

CORE_DIR = Path(aftersales.__file__).resolve().parents[1]
KIT = "aftersales.contract.testing.fixtures"
PASSWORD = "correct horse battery staple"


def run(*args: str, env: dict[str, str], cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False)


def kit_option() -> list[str]:
    """``-p`` for the test kit when this environment's aftersales was installed before it had the entry point."""
    installed = {ep.value for ep in importlib.metadata.entry_points(group="pytest11")}
    return [] if KIT in installed else ["-p", KIT]


def wait_for_health(base: str, server: subprocess.Popen[bytes], log: Path, seconds: float = 40) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"the server exited: {log.read_text()[-2000:]}")
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"no /health within {seconds} s")


def test_a_generated_plugin_passes_its_tests_and_answers_a_request_over_http(tmp_path: Path) -> None:
    site, data = tmp_path / "site", tmp_path / "data"
    env = {**os.environ,
           "PYTHONPATH": os.pathsep.join([str(site), str(CORE_DIR), os.environ.get("PYTHONPATH", "")]),
           "AFTERSALES_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'aftersales.db'}",
           "AFTERSALES_DATA_DIR": str(data)}
    env.pop("AFTERSALES_MIGRATION_DATABASE_URL", None)
    cli = [sys.executable, "-m", "aftersales.cli.main"]

    created = run(*cli, "plugin", "new", "boats", "--title", "Boats and Engines", "--dest", str(tmp_path),
                  "--hook", "sla_targets", "--hook", "warranty_terms", "--hook", "validate_serials", env=env)
    assert created.returncode == 0, created.stderr
    project = tmp_path / "aftersales-boats"
    assert (project / "aftersales_boats" / "sla_targets.py").exists()
    assert (project / "aftersales_boats" / "validate_serial.py").exists()  # the batch hook needs the per-serial one

    installed = run(sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site), str(project),
                    env=env)
    assert installed.returncode == 0, installed.stderr
    assert (site / "aftersales_boats" / "locale" / "ka" / "LC_MESSAGES" / "aftersales_boats.po").exists()

    own_tests = run(sys.executable, "-m", "pytest", "-v", "-p", "no:cacheprovider", *kit_option(), env=env, cwd=project)
    assert own_tests.returncode == 0, own_tests.stdout[-3000:] + own_tests.stderr[-2000:]
    assert "test_the_plugin_conforms_to_the_contract PASSED" in own_tests.stdout
    assert "test_a_repair_gets_a_first_response_clock_of_the_tenants_business_days PASSED" in own_tests.stdout

    for step in (["migrate"], ["onboard", str(project / "tenants" / "boats-demo.toml")],
                 ["staff", "create", "boats-demo", "admin@boats.example", "--name", "Ada", "--role", "admin",
                  "--password", PASSWORD]):
        done = run(*cli, *step, env=env)
        assert done.returncode == 0, done.stderr
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "server.log"
    with log.open("w") as output:
        server = subprocess.Popen([*cli, "serve", "--port", str(port)], env=env, stdout=output, stderr=output)
    try:
        wait_for_health(base, server, log)
        login = httpx.post(f"{base}/t/boats-demo/auth/login", json={"email": "admin@boats.example", "password": PASSWORD})
        assert login.status_code == 200, login.text
        opened = httpx.post(f"{base}/api/v1/requests/", headers={"Authorization": f"Bearer {login.json()['access_token']}"},
                            json={"kind": "repair", "channel": "phone", "summary": "The outboard engine will not start",
                                  "customer": {"name": "Grace", "phone": "+44 20 7946 0001"}})
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert opened.status_code == 201, opened.text
    # the sample tenant sets first_response_business_days = 3; the core default would say 2
    assert [(c["name"], c["reason"]) for c in opened.json()["clocks"]] == [
        ("first_response", "every request gets a first response within 3 business days")]

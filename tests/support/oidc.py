"""A real OpenID Connect provider for the SSO tests: ``oidc-provider-mock`` run as its own process.

A pytest plugin (``pytest_plugins`` in ``conftest.py``). ``oidc_provider`` (one per session) starts
``python -m oidc_provider_mock`` on a free loopback port with nonces required, waits until it says it is
listening, and gives its issuer URL. Anyone may sign in there: the provider's form takes the subject, and a
subject's ``email`` claim is the subject itself, so ``sign_in_at_provider(url, "admin@acme.test")`` answers the
authorization request as that person would by submitting the form, and returns where the provider redirects.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from aftersales.testing.network import free_port

READY_LINE = "Uvicorn running on"


@dataclass(frozen=True)
class OidcProvider:
    """The running provider: its issuer (``http://127.0.0.1:<port>``, as its discovery document names it)."""

    issuer: str


@pytest.fixture(scope="session")
def oidc_provider() -> Iterator[OidcProvider]:
    """``oidc-provider-mock`` in a child process for the whole session."""
    port = free_port()
    child = subprocess.Popen([sys.executable, "-m", "oidc_provider_mock", "--port", str(port), "--host", "127.0.0.1",
                              "--require-nonce", "true"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                             env={**os.environ, "NO_COLOR": "1"})
    assert child.stderr is not None
    seen = []
    for line in child.stderr:  # blocks until the provider logs that it listens (or exits)
        seen.append(line)
        if READY_LINE in line:
            break
    else:
        child.wait()
        pytest.fail("oidc-provider-mock did not start:\n" + "".join(seen))
    # keep reading its log, or a full pipe would stall the provider
    threading.Thread(target=lambda: [None for _ in child.stderr], daemon=True).start()  # type: ignore[union-attr]
    try:
        yield OidcProvider(issuer=f"http://127.0.0.1:{port}")
    finally:
        child.terminate()
        child.wait(timeout=30)


@pytest.fixture
def sign_in_at_provider() -> object:
    """``await sign_in_at_provider(authorization_url, subject)`` → the redirect back to our callback."""

    async def submit(authorization_url: str, subject: str) -> str:
        async with httpx.AsyncClient() as http:
            answer = await http.post(authorization_url, data={"sub": subject})
        assert answer.status_code == 302, answer.text[:500]
        return answer.headers["location"]

    return submit

"""Pytest plugin for the Stripe tests: a localstripe server, a recording proxy in front of it, and the live mode.

localstripe lacks Connect, idempotency and refund limits, so the tests talk to a small real HTTP proxy that records
every request (method, path, form parameters, headers), strips the Connect parameters localstripe would reject,
and forwards the rest: the flows run for real and the Connect parameters and Idempotency-Keys are asserted at the
HTTP boundary. Tests marked ``stripe_live`` run against Stripe's test mode only when ``STRIPE_TEST_KEY`` is set;
otherwise they are deselected (not skipped: CI fails on skips).
"""

from __future__ import annotations

import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler

import pytest

from aftersales.demo import localstripe as local_stripe
from aftersales.testing.network import serving

IN_CI = os.environ.get("CI", "").lower() == "true"
CONNECT_PARAMS = ("transfer_data", "application_fee_amount", "reverse_transfer", "refund_application_fee")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "stripe_live: runs against Stripe's test mode; needs STRIPE_TEST_KEY")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Without ``STRIPE_TEST_KEY`` the live tests are deselected."""
    if os.environ.get("STRIPE_TEST_KEY"):
        return
    live = [item for item in items if item.get_closest_marker("stripe_live")]
    if live:
        config.hook.pytest_deselected(items=live)
        items[:] = [item for item in items if not item.get_closest_marker("stripe_live")]


@pytest.fixture(scope="session")
def localstripe() -> Iterator[str]:
    """The base URL of a localstripe server started for this session."""
    if not local_stripe.available():
        message = "localstripe is not installed (pip install -e '.[test]')"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    with local_stripe.running() as url:
        yield url


@dataclass(frozen=True)
class Recorded:
    """One request that reached the proxy."""

    method: str
    path: str
    params: dict[str, str]
    headers: dict[str, str]


@dataclass
class StripeProxy:
    """A recording proxy in front of localstripe."""

    url: str
    requests: list[Recorded] = field(default_factory=list)

    def posts(self, path_prefix: str = "/v1/") -> list[Recorded]:
        return [r for r in self.requests if r.method == "POST" and r.path.startswith(path_prefix)]


def _handler(target: str, proxy: StripeProxy) -> type[BaseHTTPRequestHandler]:
    class Forward(BaseHTTPRequestHandler):
        def _forward(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            pairs = urllib.parse.parse_qsl(body, keep_blank_values=True)
            path = urllib.parse.urlsplit(self.path).path
            proxy.requests.append(Recorded(self.command, path, dict(pairs),
                                           {k.lower(): v for k, v in self.headers.items()}))
            kept = urllib.parse.urlencode([(k, v) for k, v in pairs if not k.startswith(CONNECT_PARAMS)])
            headers = {k: v for k, v in self.headers.items() if k.lower() in ("authorization", "content-type")}
            request = urllib.request.Request(target + self.path, data=kept.encode() if self.command == "POST" else None,
                                             method=self.command, headers=headers)
            try:
                with urllib.request.urlopen(request, timeout=30) as answer:
                    status, payload = answer.status, answer.read()
            except urllib.error.HTTPError as refused:
                status, payload = refused.code, refused.read()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_DELETE = _forward

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Forward


@pytest.fixture(scope="session")
def stripe_proxy_server(localstripe: str) -> Iterator[StripeProxy]:
    proxy = StripeProxy("")
    with serving(_handler(localstripe, proxy)) as url:
        proxy.url = url
        yield proxy


@pytest.fixture
def stripe_proxy(stripe_proxy_server: StripeProxy) -> StripeProxy:
    """The recording proxy, its record emptied for this test."""
    stripe_proxy_server.requests.clear()
    return stripe_proxy_server

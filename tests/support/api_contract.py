"""Every API answer the suite observes must be in the OpenAPI document: a pytest plugin that records and checks.

While the suite runs, every request any in-process app answers (``Litestar.__call__`` is wrapped for the session:
the ``client`` fixture, apps a test builds itself, schemathesis) is noted as (method, route template, status,
media type) with the first test that saw it, for the product's own operations (handlers defined in
``aftersales*`` modules and included in the schema; a test's ad-hoc route is not the product's contract), but a
500: that is never part of the contract, some tests provoke one on purpose (a write failing mid-way), and an
unintended one fails its test or schemathesis's server-error check. Each
answer is looked up in the document of the app that gave it; one that is not documented (status, or media type
for that status) is kept. At the end of the session the run fails with the list.

Under pytest-xdist each worker checks its own answers and sends what it found undocumented to the controller in
``workeroutput``; the controller merges them (``pytest_testnodedown``) and fails the run once. See
docs/testing.md, "The API contract".
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import pytest
from litestar import Litestar

Answer = tuple[str, str, int, str]
"""(method, route template, status, media type without parameters; "" when the answer has no body type)."""

WORKER_OUTPUT_KEY = "undocumented_api_answers"
_documented: dict[tuple[str, str], dict[str, frozenset[str]]] = {}
_undocumented: dict[Answer, str] = {}
_observed: set[Answer] = set()


def documented_answers(document: Mapping[str, Any]) -> dict[tuple[str, str], dict[str, frozenset[str]]]:
    """``{(METHOD, path): {status: media types}}`` of an OpenAPI document."""
    return {
        (method.upper(), path): {status: frozenset((response.get("content") or {}).keys())
                                 for status, response in operation.get("responses", {}).items()}
        for path, item in document.get("paths", {}).items()
        for method, operation in item.items()
        if isinstance(operation, dict) and "responses" in operation
    }


def is_documented(answer: Answer, documented: Mapping[tuple[str, str], Mapping[str, frozenset[str]]]) -> bool:
    """Whether ``answer``'s status is documented for its operation, with its media type when it has a body."""
    method, path, status, media_type = answer
    responses = documented.get((method, path), {})
    media_types = responses.get(str(status))
    if media_types is None:
        return False
    return not media_types or not media_type or any(_matches(documented, media_type) for documented in media_types)


def _matches(documented: str, media_type: str) -> bool:
    """``image/png`` matches ``image/png``, ``image/*`` and ``*/*``."""
    (main, _, sub), (got_main, _, got_sub) = documented.partition("/"), media_type.partition("/")
    return main in ("*", got_main) and sub in ("*", got_sub)


def _is_product_operation(scope: Mapping[str, Any]) -> bool:
    handler = scope.get("route_handler")
    if handler is None or not scope.get("path_template"):
        return False
    module = getattr(getattr(handler, "fn", None), "__module__", "") or ""
    return module.startswith("aftersales") and bool(handler.resolve_include_in_schema())


def _record(app: Litestar, scope: Mapping[str, Any], status: int, media_type: str) -> None:
    answer = (scope["method"], scope["path_template"], status, media_type)
    if answer in _observed:
        return
    _observed.add(answer)
    if (answer[0], answer[1]) not in _documented:
        for key, responses in documented_answers(app.openapi_schema.to_schema()).items():
            _documented.setdefault(key, responses)
    if not is_documented(answer, _documented):
        _undocumented.setdefault(answer, os.environ.get("PYTEST_CURRENT_TEST", "?").rsplit(" ", 1)[0])


_unwrapped_call = Litestar.__call__
_paused = False


@contextmanager
def not_recorded() -> Iterator[None]:
    """Answers given inside are not recorded: for a run that checks them against the document itself
    (schemathesis, tests/http/test_schemathesis.py), whatever thread the app answers in."""
    global _paused
    _paused = True
    try:
        yield
    finally:
        _paused = False


async def _recording_call(self: Litestar, scope: Any, receive: Any, send: Any) -> None:
    if scope["type"] != "http" or _paused:
        await _unwrapped_call(self, scope, receive, send)
        return
    seen: dict[str, Any] = {}

    async def watching_send(message: Any) -> None:
        if message["type"] == "http.response.start":
            seen["status"] = message["status"]
            headers = dict(message.get("headers") or [])
            seen["media_type"] = headers.get(b"content-type", b"").decode("latin-1").split(";")[0].strip()
        await send(message)

    try:
        await _unwrapped_call(self, scope, receive, watching_send)
    finally:
        if seen.get("status", 500) != 500 and _is_product_operation(scope):
            _record(self, scope, seen["status"], seen["media_type"])


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_merged_key] = {}
    Litestar.__call__ = _recording_call  # type: ignore[method-assign]


def pytest_unconfigure(config: pytest.Config) -> None:
    Litestar.__call__ = _unwrapped_call  # type: ignore[method-assign]


_merged_key = pytest.StashKey[dict[Answer, str]]()


def _encode(found: Mapping[Answer, str]) -> str:
    return json.dumps([[*answer, test] for answer, test in found.items()])


def _decode(text: str) -> Iterable[tuple[Answer, str]]:
    for method, path, status, media_type, test in json.loads(text):
        yield (method, path, int(status), media_type), test


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: the controller checks
        workeroutput[WORKER_OUTPUT_KEY] = _encode(_undocumented)
        return
    merged = session.config.stash[_merged_key]
    for answer, test in _undocumented.items():
        merged.setdefault(answer, test)
    if merged and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """xdist, in the controller: a worker finished; keep what it found undocumented."""
    text = getattr(node, "workeroutput", {}).get(WORKER_OUTPUT_KEY)
    if text:
        merged = node.config.stash[_merged_key]
        for answer, test in _decode(text):
            merged.setdefault(answer, test)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    merged = config.stash.get(_merged_key, {})
    if not merged:
        return
    terminalreporter.section("API answers missing from the OpenAPI document", sep="=", red=True, bold=True)
    for (method, path, status, media_type), test in sorted(merged.items()):
        terminalreporter.line(f"{method} {path} -> {status} {media_type or '(no body)'}   first seen in {test}")
    terminalreporter.line(f"{len(merged)} undocumented answer(s): document them (aftersales/http/openapi.py) "
                          "or fix the route")

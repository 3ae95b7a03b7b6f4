"""Log lines are JSON objects when the stream is not a terminal, each naming the request (id), the tenant and
the kind of principal it was logged for; text for a terminal."""

from __future__ import annotations

import io
import json
import logging
import sys

import pytest

from aftersales.observability.logs import ContextFilter, JsonFormatter, configure_logging, wants_json


@pytest.fixture
def log_lines(monkeypatch):
    """The lines the process logs during the test, as ``aftersales serve`` would write them to a pipe."""
    monkeypatch.setenv("AFTERSALES_LOG_FORMAT", "json")
    stream = io.StringIO()
    root = logging.getLogger()
    level = root.level
    handler = configure_logging(stream=stream)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(level)


async def test_a_request_log_line_names_request_tenant_and_principal(client, make_tenant, staff_token, log_lines):
    alpha = await make_tenant("alpha")
    response = await client.get("/api/v1/serials/490154203237518", headers=await staff_token(alpha, "admin"))
    [line] = [line for line in log_lines() if line["logger"] == "aftersales.access"]
    assert line["request_id"] == response.headers["x-request-id"]
    assert line["tenant"] == "alpha" and line["principal_kind"] == "staff"
    assert line["route"] == "/api/v1/serials/{serial}" and line["status"] == response.status_code
    assert line["level"] == "info" and line["time"].endswith("+00:00")


def test_a_plugin_failure_line_names_the_plugin(log_lines):
    logging.getLogger("aftersales.plugins").error("plugin failed", extra={"plugin": "raiser", "hook": "h"})
    [line] = log_lines()
    assert line["plugin"] == "raiser" and line["message"] == "plugin failed" and "request_id" not in line


def test_exceptions_are_logged_in_the_line():
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "boom", None, None)
    try:
        raise ZeroDivisionError("division by zero")
    except ZeroDivisionError:
        record.exc_info = sys.exc_info()
    ContextFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert "ZeroDivisionError" in line["exception"] and line["message"] == "boom"


def test_json_unless_a_terminal_or_told(monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("AFTERSALES_LOG_FORMAT", raising=False)
    assert wants_json(io.StringIO()) and not wants_json(Terminal())
    monkeypatch.setenv("AFTERSALES_LOG_FORMAT", "json")
    assert wants_json(Terminal())
    monkeypatch.setenv("AFTERSALES_LOG_FORMAT", "yaml")
    with pytest.raises(ValueError, match="json or text"):
        wants_json(io.StringIO())


def test_building_the_app_keeps_the_logging_set_up(runtime, log_lines):
    """``aftersales serve`` sets up the logs, then builds the app: Litestar must not replace the set-up."""
    from aftersales.app import create_app

    create_app(runtime)
    logging.getLogger("aftersales.probe").info("still in JSON")
    assert [line["message"] for line in log_lines() if line["logger"] == "aftersales.probe"] == ["still in JSON"]

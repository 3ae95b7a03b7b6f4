"""Benchmark: what the control-character check (:mod:`aftersales.http.control_characters`) adds to a request.

Measures, in process, the middleware's own work on the two hot routes' requests, against the same ASGI call
with the check left out (a pass-through app behind both, so only the check differs):

* the serial lookup: ``GET /api/v1/serials/{serial}`` (a path parameter, no query, no body);
* opening a request: ``POST /api/v1/requests/`` with a realistic JSON body (~600 bytes: serial, summary,
  description with line breaks, contact), read from the ASGI stream as the handler would;
* the same body with a NUL, refused (the slow path: parsed to name the field).

    python benchmarks/control_characters.py [--rounds N]

Last line: ``RESULT control_characters lookup_us=<µs> open_us=<µs> refusal_us=<µs>``: the median µs the check adds to
a lookup and to an opening (the whole app with it minus without it), and a refusal's whole cost.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from typing import Any

from litestar import Litestar, get, post

from aftersales.errors import InvalidInput
from aftersales.http.control_characters import ControlCharacterMiddleware

BODY = json.dumps({
    "serial": "352099000000014", "kind": "repair", "channel": "phone",
    "summary": "Screen flickers after the last update and the phone restarts on its own",
    "description": "Customer reports:\n- flicker when brightness is low\n- restarts twice a day\n\tsince 3 weeks",
    "contact": {"name": "Sara Ahmadi", "phone": "+98 912 345 6789", "email": "sara@example.com"},
    "address": "Tehran, Valiasr St. 1200, unit 4", "preferred_visit": "2026-12-09T10:00:00Z",
}).encode()


@get("/api/v1/serials/{serial:str}", sync_to_thread=False)
def lookup(serial: str) -> dict[str, str]:
    return {"serial": serial}


@post("/api/v1/requests/", sync_to_thread=False)
def open_request(data: dict[str, Any]) -> dict[str, str]:
    return {"ok": "yes"}


async def _call(app: Any, method: str, path: str, body: bytes) -> int:
    sent: list[dict[str, Any]] = []
    headers = [(b"content-type", b"application/json")] if body else []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "method": method, "path": path, "raw_path": path.encode(), "query_string": b"",
             "headers": headers, "http_version": "1.1", "scheme": "http", "server": ("t", 80), "client": ("c", 1),
             "root_path": "", "asgi": {"version": "3.0"}}
    await app(scope, receive, send)
    return sent[0]["status"]


async def _per_request(app: Any, method: str, path: str, body: bytes, rounds: int) -> float:
    for _ in range(200):
        await _call(app, method, path, body)
    started = time.perf_counter()
    for _ in range(rounds):
        await _call(app, method, path, body)
    return (time.perf_counter() - started) / rounds * 1e6


async def _check_alone(path: str, body: bytes, rounds: int) -> float:
    """The scan alone: a lookup's path parameters and query, or an opening's body, without the app."""
    scope: dict[str, Any] = {"type": "http", "path_params": {"serial": path.rsplit("/", 1)[-1]}, "query_string": b"",
                             "headers": [(b"content-type", b"application/json")] if body else [],
                             "method": "POST" if body else "GET", "path": path, "app": None}
    if not body:
        started = time.perf_counter()
        for _ in range(rounds):
            await ControlCharacterMiddleware._check(scope, None)  # type: ignore[arg-type]
        return (time.perf_counter() - started) / rounds * 1e6
    from aftersales.http.control_characters import json_problems
    started = time.perf_counter()
    for _ in range(rounds):
        json_problems(body)
    return (time.perf_counter() - started) / rounds * 1e6


async def main(rounds: int) -> None:
    def refused(_request: Any, exc: InvalidInput) -> Any:
        from litestar import Response
        return Response({"errors": [e.field for e in exc.errors]}, status_code=422)

    bare = Litestar([lookup, open_request], exception_handlers={InvalidInput: refused})
    checked = Litestar([lookup, open_request], middleware=[ControlCharacterMiddleware],
                       exception_handlers={InvalidInput: refused})
    nul = BODY.replace(b"Sara", b"Sara\\u0000")
    assert await _call(checked, "POST", "/api/v1/requests/", nul) == 422
    figures = {}
    for name, method, path, body in [("lookup", "GET", "/api/v1/serials/352099000000014", b""),
                                     ("open", "POST", "/api/v1/requests/", BODY)]:
        runs = [(await _per_request(bare, method, path, body, rounds),
                 await _per_request(checked, method, path, body, rounds)) for _ in range(7)]
        floor, ours = statistics.median(b for b, _ in runs), statistics.median(c for _, c in runs)
        alone = await _check_alone(path, body, rounds)
        figures[name] = ours - floor
        print(f"{name:8} bare app {floor:6.1f} µs/request, with the check {ours:6.1f} µs; the check alone "
              f"{alone:5.1f} µs")
    refusal = min([await _per_request(checked, "POST", "/api/v1/requests/", nul, rounds) for _ in range(3)])
    print(f"refusal  {refusal:7.1f} µs/request (parse and name the field, answer 422)")
    print(f"RESULT control_characters lookup_us={figures['lookup']:.1f} open_us={figures['open']:.1f} "
          f"refusal_us={refusal:.1f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3000)
    asyncio.run(main(parser.parse_args().rounds))

"""Every answer names its request in ``X-Request-ID``; every problem document carries the same ``request_id``
and every error page shows it, so a user can quote it and an operator find the request's log lines."""

from __future__ import annotations

import re

REQUEST_ID = re.compile(r"^[0-9a-f]{32}$")


async def test_every_answer_carries_a_fresh_request_id(client):
    first, second = await client.get("/health"), await client.get("/health")
    assert REQUEST_ID.match(first.headers["x-request-id"]) and REQUEST_ID.match(second.headers["x-request-id"])
    assert first.headers["x-request-id"] != second.headers["x-request-id"]


async def test_a_callers_request_id_is_not_taken(client):
    response = await client.get("/health", headers={"X-Request-ID": "chosen-by-the-client"})
    assert REQUEST_ID.match(response.headers["x-request-id"])


async def test_problem_documents_carry_the_request_id_of_their_answer(client, make_tenant, staff_token):
    alpha = await make_tenant("alpha")
    answers = [
        await client.get("/api/v1/nothing-here"),  # 404 from the router, before any route
        await client.delete("/health"),  # 405
        await client.get("/api/v1/serials/X1"),  # 401: no token
        await client.post("/api/v1/staff", json={"email": 5}, headers=await staff_token(alpha, "admin")),  # 400
    ]
    for response in answers:
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["request_id"] == response.headers["x-request-id"], response.text


async def test_error_pages_show_the_request_id_in_the_readers_language(client):
    response = await client.get("/t/no-such-tenant/check", headers={"Accept-Language": "zh"})
    assert response.status_code == 404 and response.headers["content-type"].startswith("text/html")
    assert "如需联系我们，请提供此编号：" in response.text
    assert f'<code dir="ltr">{response.headers["x-request-id"]}</code>' in response.text

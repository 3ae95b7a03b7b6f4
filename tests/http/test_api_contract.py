"""The OpenAPI document states every answer: problem documents with their schema, and each route's own shapes.

What the suite observes is compared with the document by the recorder (``support.api_contract``, docs/testing.md
"The API contract"); these tests pin the document itself and the recorder's comparison.
"""

from __future__ import annotations

import json
import re

import pytest
from litestar.serialization import encode_json

from aftersales.app import create_app
from support import api_contract
from support.api_contract import documented_answers, is_documented

PROBLEM_REF = "#/components/schemas/Problem"


@pytest.fixture(scope="module")
def document(request, tmp_path_factory):
    """The OpenAPI document as served (JSON), built once: no database needed, it is the routes' metadata."""
    from dataclasses import replace

    from aftersales.plugins import build_plugin_registry
    from aftersales.runtime import build_runtime

    settings = request.getfixturevalue("base_settings")
    runtime = build_runtime(replace(settings, database_url=f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('doc')}/unused.db"),
                            plugins=build_plugin_registry())
    return json.loads(encode_json(create_app(runtime).openapi_schema.to_schema()))


def _operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield method.upper(), path, operation


def test_every_error_answer_is_a_problem_document_with_its_schema(document):
    wrong = []
    for method, path, operation in _operations(document):
        for status, response in operation["responses"].items():
            if int(status) < 400 or (path, status) == ("/health", "503"):
                continue
            content = response.get("content") or {}
            if list(content) != ["application/problem+json"] or \
                    content["application/problem+json"]["schema"].get("$ref") != PROBLEM_REF:
                wrong.append(f"{method} {path} {status}: {list(content)}")
    assert not wrong, wrong
    problem = document["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"type", "title", "status", "detail", "instance"}
    field = document["components"]["schemas"]["FieldProblem"]
    assert set(field["required"]) == {"field", "reason"} and "code" in field["properties"]


def test_statuses_follow_from_the_routes_metadata(document):
    operations = {(method, path): set(op["responses"]) for method, path, op in _operations(document)}
    # guarded, tenant-bound, a path parameter, a write
    assert {"400", "401", "403", "404", "409", "422", "503"} <= operations[("POST", "/api/v1/refunds/{refund_id}/approve")]
    # public (no bearer middleware) and rate-limited
    check = operations[("POST", "/public/t/{tenant_slug}/warranty/check")]
    assert {"400", "404", "422", "429", "503"} <= check and "401" not in check
    assert {"401", "429"} <= operations[("POST", "/operator/login")]
    assert operations[("GET", "/health")] == {"200", "503"}
    # a body, read by Litestar or by hand, can be too large; a read has none
    assert "413" in operations[("POST", "/api/v1/serials/imports")] & operations[("POST", "/api/v1/webhooks")]
    assert "413" not in operations[("GET", "/api/v1/customers/{customer_id}/file")]


def test_the_customer_file_is_documented_as_rows_in_json_or_csv(document):
    ok = document["paths"]["/api/v1/customers/{customer_id}/file"]["get"]["responses"]["200"]["content"]
    assert set(ok) == {"application/json", "text/csv"}
    rows = ok["application/json"]["schema"]
    assert rows["type"] == "array" and rows["items"]["$ref"].endswith("/Activity")
    activity = document["components"]["schemas"]["Activity"]
    assert {"occurred_at", "kind", "ref_id", "request_number", "title", "detail"} <= set(activity["properties"])


@pytest.mark.parametrize("method, path", [("POST", "/api/v1/catalog/models"), ("POST", "/api/v1/operator/tenants")])
def test_an_upsert_documents_both_created_and_replaced(document, method, path):
    responses = document["paths"][path][method.lower()]["responses"]
    assert {"200", "201"} <= set(responses)
    assert responses["200"]["content"]["application/json"]["schema"] == \
        responses["201"]["content"]["application/json"]["schema"]


@pytest.mark.parametrize("path", ["/api/v1/registrations/{registration_id}/proof",
                                  "/api/v1/marketplace/providers/{provider_id}/documents/{document_id}"])
def test_a_stored_file_is_documented_in_any_media_type(document, path):
    assert list(document["paths"][path]["get"]["responses"]["200"]["content"]) == ["*/*"]


def test_a_time_of_day_is_documented_as_one_not_as_a_duration(document):
    hours = document["components"]["schemas"]["HoursOut"]["properties"]
    assert "format" not in hours["opens"] and hours["opens"]["pattern"].startswith("^([01][0-9]|2[0-3])")
    assert re.match(hours["closes"]["pattern"], "17:00:00") and re.match(hours["closes"]["pattern"], "09:30")
    assert not re.match(hours["closes"]["pattern"], "PT9H")


def test_the_recorder_finds_an_answer_documented_by_status_and_media_type():
    documented = documented_answers({"paths": {
        "/a/{id}": {"get": {"responses": {"200": {"content": {"application/json": {}}},
                                          "404": {"content": {"application/problem+json": {}}}}},
                    "delete": {"responses": {"204": {}}}},
        "/files/{id}": {"get": {"responses": {"200": {"content": {"*/*": {}}}}}},
    }})
    assert is_documented(("GET", "/a/{id}", 200, "application/json"), documented)
    assert is_documented(("GET", "/a/{id}", 404, "application/problem+json"), documented)
    assert is_documented(("DELETE", "/a/{id}", 204, ""), documented)
    assert is_documented(("GET", "/files/{id}", 200, "application/pdf"), documented)
    assert not is_documented(("GET", "/a/{id}", 409, "application/problem+json"), documented)
    assert not is_documented(("GET", "/a/{id}", 404, "application/json"), documented)
    assert not is_documented(("POST", "/a/{id}", 200, "application/json"), documented)


async def test_the_recorder_notes_the_products_answers_by_route_template(client, make_tenant, staff_token):
    alpha = await make_tenant("alpha")
    headers = await staff_token(alpha, "admin")
    await client.get("/api/v1/customers/0b8e5a39-0000-4000-8000-000000000000", headers=headers)
    await client.get("/api/v1/nothing-here", headers=headers)
    assert ("GET", "/api/v1/customers/{customer_id}", 404, "application/problem+json") in api_contract._observed
    assert not [answer for answer in api_contract._observed if answer[1].startswith("/api/v1/nothing")]

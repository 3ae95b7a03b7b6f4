"""Control characters are refused at the boundary, on both databases alike: a 422 naming the field (a page gets
its error page), never a 500 on PostgreSQL or stored text on SQLite, and nothing written."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from aftersales.accounts.services import create_staff
from aftersales.http.control_characters import json_problems, query_problems
from aftersales.service.quotes.models import PartPrice
from support.pages import post_form
from support.quotes import garage, new_job
from support.warranty import add_unit, imei

SERIAL = imei(14)
PASSWORD = "correct horse battery staple"


def refused(response, field: str) -> None:
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["code"] == "text.control_character"
    assert [(e["field"], e["code"]) for e in problem["errors"]] == [(field, "text.control_character")]
    assert "control character" in problem["errors"][0]["reason"]


async def test_a_nul_in_the_public_check_is_refused_without_an_account(client, runtime, make_tenant):
    mehr = await make_tenant("mehr")
    await add_unit(runtime, mehr, SERIAL)
    response = await client.post("/public/t/mehr/warranty/check", json={"serial": SERIAL + "\u0000"})
    refused(response, "serial")
    assert response.json()["errors"][0]["params"] == {"character": "U+0000"}
    clean = await client.post("/public/t/mehr/warranty/check", json={"serial": SERIAL})
    assert clean.status_code == 200 and clean.json()["verdict"] == "genuine"


async def test_an_escaped_backslash_before_u0000_is_text_not_a_nul(client, make_tenant):
    await make_tenant("mehr")
    response = await client.post("/public/t/mehr/warranty/check", content=b'{"serial": "35209\\\\u0000"}',
                                 headers={"content-type": "application/json"})
    assert response.status_code == 200 and response.json()["verdict"] == "unknown"


async def test_a_control_character_in_the_staff_login_is_refused(client, runtime, make_tenant):
    alpha = await make_tenant("alpha")
    async with runtime.db.transaction(alpha.id) as session:
        await create_staff(session, email="ana@alpha-demo.com", name="Ana", roles=["admin"], password=PASSWORD)
    refused(await client.post("/t/alpha/auth/login", json={"email": "ana@alpha-demo.com\u0000", "password": PASSWORD}),
            "email")
    refused(await client.post("/t/alpha/auth/login", json={"email": "ana@alpha-demo.com", "password": "x\bx"}),
            "password")
    assert (await client.post("/t/alpha/auth/login", json={"email": "ana@alpha-demo.com",
                                                            "password": PASSWORD})).status_code == 200


async def test_a_nul_in_a_body_field_nested_in_a_list_names_its_place(client, runtime, make_tenant, provider_token,
                                                                     customer_token):
    tenant = await garage(runtime, make_tenant)
    job = await new_job(runtime, tenant, provider_token, customer_token)
    response = await client.post(f"/api/v1/marketplace/bookings/{job.booking_id}/quotes", headers=job.provider,
                                 json={"parts": [{"code": "SEAL"}, {"code": "SEAL\u0000"}]})
    refused(response, "parts.1.code")


async def test_a_nul_in_a_query_parameter_is_refused(client, make_tenant, staff_token):
    admin = await staff_token(await make_tenant("alpha"), "admin")
    refused(await client.get("/api/v1/customers/", params={"name": "Sara\u0000"}, headers=admin), "name")
    assert (await client.get("/api/v1/customers/", params={"name": "Sara\tA"}, headers=admin)).status_code == 200


async def test_a_nul_or_a_tab_in_a_path_parameter_is_refused_and_nothing_is_written(client, runtime, make_tenant,
                                                                                  staff_token):
    tenant = await make_tenant("garage", vertical="auto_service")
    admin = await staff_token(tenant, "admin")
    body = {"name": "seal", "price_minor": 100, "currency": "EUR"}
    refused(await client.put("/api/v1/marketplace/parts/SEAL%00", json=body, headers=admin), "code")
    refused(await client.put("/api/v1/marketplace/parts/SE%09AL", json=body, headers=admin), "code")
    async with runtime.db.transaction(tenant.id) as session:
        assert await session.scalar(select(func.count()).select_from(PartPrice)) == 0


async def test_a_form_page_with_a_nul_gets_the_error_page(pages, client, make_tenant):
    await make_tenant("acme")
    page = await post_form(pages, "/t/acme/check", {"serial": SERIAL + "\u0000"})
    assert page.status_code == 422 and page.headers["content-type"].startswith("text/html")
    assert "serial" in page.text and "control character" in page.text


async def test_a_multipart_form_page_with_a_nul_gets_the_error_page(pages, client, make_tenant):
    await make_tenant("acme")
    page = await post_form(pages, "/t/acme/check", {"serial": SERIAL + "\u0000"},
                           files={"attachment": ("note.txt", b"a file may hold \x00", "text/plain")})
    assert page.status_code == 422 and page.headers["content-type"].startswith("text/html")
    assert "serial" in page.text and "control character" in page.text
    clean = await post_form(pages, "/t/acme/check", {"serial": SERIAL},
                            files={"attachment": ("note.txt", b"a file may hold \x00", "text/plain")})
    assert clean.status_code == 200, clean.text


@pytest.mark.parametrize(("body", "fields"), [
    (b'{"a": "x\\u001f", "b": ["ok", {"c": "\\u007f"}]}', ["a", "b.1.c"]),
    (b'{"a": "line\\nbreak\\ttab\\r"}', []),
    (b'{"a": "\\f"}', ["a"]),
    (b'{"k\\u0001": 1}', ["k\x01"]),
    (b'{"a": "\x7f"}', ["a"]),
    (b'not json \\u0000', []),
])
def test_json_bodies_are_scanned_for_every_escape_of_a_control_character(body, fields):
    assert [e.field for e in json_problems(body)] == fields


def test_a_query_keeps_tab_and_newline_and_refuses_the_rest():
    assert query_problems(b"q=a%09b%0A") == []
    assert [e.field for e in query_problems(b"q=a%00&r=%7F&s=ok")] == ["q", "r"]


async def test_the_refusal_is_said_in_the_readers_language_on_the_api_and_on_the_page(pages, client, make_tenant):
    await make_tenant("mehr")
    answer = await client.post("/public/t/mehr/warranty/check", json={"serial": SERIAL + "\u0000"},
                               headers={"Accept-Language": "fa"})
    persian = "یک نویسه‌ی کنترلی (\u2068U+0000\u2069) دارد که اینجا مجاز نیست"  # the code point isolated left-to-right
    assert answer.json()["errors"][0]["reason"] == persian
    page = await post_form(pages, "/t/mehr/check?lang=fa", {"serial": SERIAL + "\u0000"})
    assert page.status_code == 422 and persian in page.text
    assert "control character" not in page.text

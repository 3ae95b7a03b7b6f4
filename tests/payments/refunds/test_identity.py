"""A customer's identity for refunds: the Iranian national code's check digit, IBAN (Sheba) validation with
Persian digits, who may record what (staff verify; a customer only puts their own IBAN on file), and tenants
never reaching each other's customers."""

from __future__ import annotations

import pytest

from aftersales.payments.refunds.identity import national_id_problem, normalise_iban
from support.refunds import IBAN, NATIONAL_ID, OTHER_NATIONAL_ID, entekhab, record_identity

PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


@pytest.mark.parametrize("code", [NATIONAL_ID, OTHER_NATIONAL_ID, "0067749828"])
def test_national_codes_with_their_check_digit_pass(code):
    assert national_id_problem(code) is None


@pytest.mark.parametrize(("code", "problem"), [
    ("0499370898", "the check digit does not match"),
    ("049937089", "must be 10 digits"),
    ("1111111111", "is not an issued national code (ten identical digits)"),
])
def test_national_codes_that_fail(code, problem):
    assert national_id_problem(code) == problem


def test_iranian_iban_check_digits_and_length():
    assert normalise_iban("IR06 2960 0000 0010 0324 2000 01".translate(PERSIAN).replace("IR۰۶", "IR06")) == (IBAN,
                                                                                                          None)
    assert normalise_iban(IBAN[:-1] + "2")[1] == "the IBAN's check digits do not match"
    assert normalise_iban(IBAN[:-1])[1] == "an Iranian IBAN (Sheba) is IR followed by 24 digits"
    assert normalise_iban("DE89370400440532013000")[1] is None


async def test_staff_record_and_verify_identity_with_persian_digits(runtime, client, make_tenant, staff_token,
                                                                    customer_token):
    tenant = await entekhab(make_tenant)
    agent = await staff_token(tenant, "agent")
    customer_id, _ = await customer_token(tenant)
    answer = await record_identity(client, agent, customer_id, national_id=NATIONAL_ID.translate(PERSIAN))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["national_id"], body["identity_verified"], body["iban"]) == (NATIONAL_ID, True, IBAN)
    assert body["iban_owner_matches_national_id"] and body["identity_verified_by"].startswith("staff:")

    other_owner = await record_identity(client, agent, customer_id, national_id=None, identity_verified=None,
                                        iban=None, iban_owner_national_id=OTHER_NATIONAL_ID)
    assert other_owner.json()["iban_owner_matches_national_id"] is False
    changed_id = await record_identity(client, agent, customer_id, national_id=OTHER_NATIONAL_ID,
                                       identity_verified=None, iban=None, iban_owner_national_id=None)
    assert changed_id.json()["identity_verified"] is False  # a new national ID is verified again


async def test_bad_identity_is_422_with_every_field_and_changes_nothing(runtime, client, make_tenant, staff_token,
                                                                       customer_token):
    tenant = await entekhab(make_tenant)
    agent = await staff_token(tenant, "agent")
    customer_id, _ = await customer_token(tenant)
    answer = await record_identity(client, agent, customer_id, national_id="0499370898", iban=IBAN[:-1] + "2",
                                   iban_owner_national_id="12")
    assert answer.status_code == 422
    assert {e["field"] for e in answer.json()["errors"]} == {"national_id", "iban", "iban_owner_national_id"}
    unverifiable = await client.put(f"/api/v1/customers/{customer_id}/refund-identity",
                                    json={"identity_verified": True}, headers=agent)
    assert unverifiable.json()["errors"][0]["field"] == "identity_verified"
    shown = (await client.get(f"/api/v1/customers/{customer_id}/refund-identity", headers=agent)).json()
    assert (shown["national_id"], shown["iban"]) == (None, None)


async def test_a_customer_puts_their_own_iban_on_file_but_never_verifies(runtime, client, make_tenant, staff_token,
                                                                        customer_token):
    tenant = await entekhab(make_tenant)
    agent = await staff_token(tenant, "agent")
    customer_id, customer = await customer_token(tenant)
    other_id, _ = await customer_token(tenant)
    await record_identity(client, agent, customer_id)

    own = await client.put(f"/api/v1/customers/{customer_id}/refund-identity/iban",
                           json={"iban": "IR05 0170 0000 0012 3456 7890 12"}, headers=customer)
    assert own.status_code == 200, own.text
    assert own.json()["iban"] == "IR050170000000123456789012"
    assert own.json()["iban_owner_matches_national_id"] is False  # a new IBAN waits for the bank's word
    verify = await client.put(f"/api/v1/customers/{customer_id}/refund-identity",
                              json={"identity_verified": True}, headers=customer)
    assert verify.status_code == 403
    theirs = await client.put(f"/api/v1/customers/{other_id}/refund-identity/iban", json={"iban": IBAN},
                              headers=customer)
    assert theirs.status_code == 404
    assert (await client.get(f"/api/v1/customers/{other_id}/refund-identity", headers=customer)).status_code == 404


async def test_refund_identity_endpoints_refuse_another_tenant(runtime, client, make_tenant, staff_token,
                                                              customer_token):
    tenant, other = await entekhab(make_tenant), await make_tenant("other")
    customer_id, _ = await customer_token(tenant)
    intruder = await staff_token(other, "admin")
    _, outsider = await customer_token(other)
    base = f"/api/v1/customers/{customer_id}/refund-identity"
    assert (await client.get(base, headers=intruder)).status_code == 404
    assert (await record_identity(client, intruder, customer_id)).status_code == 404
    assert (await client.put(f"{base}/iban", json={"iban": IBAN}, headers=intruder)).status_code == 404
    assert (await client.put(f"{base}/iban", json={"iban": IBAN}, headers=outsider)).status_code == 404
    agent = await staff_token(tenant, "agent")
    assert (await client.get(base, headers=agent)).json()["iban"] is None

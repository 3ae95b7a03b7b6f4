"""``/my/payments`` and ``/my/refunds``: a customer's payments in the tenant's money, and asking for a refund.
Where the policy wants a verified national ID and an IBAN (Entekhab's cash refunds under 3,000,000 toman) the
form asks for them; a bad check digit is shown beside its field with 422 and nothing written; what is typed is
put on file unverified, so the request is refused naming what staff must still check, and granted once they
have. Another customer's or tenant's payments and refunds are 404 pages."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from aftersales.payments.refunds.models import CustomerIdentity, Refund
from support.pages import post_form
from support.pay import paid_in_cash, verify_identity
from support.refunds import IBAN, NATIONAL_ID, entekhab

BAD_CHECK_DIGIT = NATIONAL_ID[:-1] + str((int(NATIONAL_ID[-1]) + 1) % 10)
BAD_IBAN = IBAN[:4] + IBAN[4:].replace("0", "1", 1)


async def count(runtime, tenant, model) -> int:
    async with runtime.db.transaction(tenant.id) as s:
        return await s.scalar(select(func.count()).select_from(model)) or 0


async def identity(runtime, tenant, customer_id) -> CustomerIdentity | None:
    async with runtime.db.transaction(tenant.id) as s:
        return await s.scalar(select(CustomerIdentity).where(CustomerIdentity.customer_id == customer_id))


def field_error(html: str, field: str) -> str:
    found = re.search(rf'<p class="field-error" id="{field}-error">([^<]*)</p>', html)
    return found.group(1) if found else ""


async def test_my_payments_lists_my_payments_in_the_tenants_money_and_offers_a_refund(
        runtime, pages, sign_in_customer, make_tenant):
    shop = await make_tenant("moneyshop")
    someone = await sign_in_customer(pages, shop)
    await paid_in_cash(runtime, shop, someone, 99_00, "EUR")
    me = await sign_in_customer(pages, shop)
    payment_id = await paid_in_cash(runtime, shop, me, 1_234_50, "EUR")
    page = await pages.get("/t/moneyshop/my/payments")
    assert page.status_code == 200
    assert "€1,234.50" in page.text and "Repair" in page.text and "Paid" in page.text
    assert "€99.00" not in page.text
    assert f"/t/moneyshop/my/refunds/new?payment={payment_id}" in page.text


async def test_my_payments_in_persian_are_right_to_left_with_persian_digits(runtime, pages, sign_in_customer,
                                                                            make_tenant):
    tenant = await make_tenant("rial-payments", vertical="appliances", currency="IRR", time_zone="Asia/Tehran",
                               locales=["fa", "en"], default_locale="fa")
    me = await sign_in_customer(pages, tenant)
    await paid_in_cash(runtime, tenant, me, 12_500_000, "IRR")
    page = await pages.get("/t/rial-payments/my/payments")
    assert page.status_code == 200 and 'dir="rtl"' in page.text and "۱۲٬۵۰۰٬۰۰۰" in page.text


async def test_entekhab_asks_for_national_id_and_iban_and_a_bad_check_digit_writes_nothing(
        runtime, pages, sign_in_customer, make_tenant):
    tenant = await entekhab(make_tenant)
    me = await sign_in_customer(pages, tenant)
    payment_id = await paid_in_cash(runtime, tenant, me, 20_000_000, "IRR")
    url = "/t/entekhab-test/my/refunds/new"
    form = await pages.get(url, params={"payment": str(payment_id)})
    assert form.status_code == 200
    assert 'name="national_id"' in form.text and 'name="iban"' in form.text

    bad = await post_form(pages, url, {"payment": str(payment_id), "national_id": BAD_CHECK_DIGIT, "iban": IBAN})
    assert bad.status_code == 422
    assert "check digit" in field_error(bad.text, "national_id") and field_error(bad.text, "iban") == ""
    assert f'value="{BAD_CHECK_DIGIT}"' in bad.text

    bad_iban = await post_form(pages, url, {"payment": str(payment_id), "national_id": NATIONAL_ID,
                                            "iban": BAD_IBAN})
    assert bad_iban.status_code == 422 and "check digits" in field_error(bad_iban.text, "iban")

    missing = await post_form(pages, url, {"payment": str(payment_id)})
    assert missing.status_code == 422
    assert field_error(missing.text, "national_id") and field_error(missing.text, "iban")
    assert await count(runtime, tenant, Refund) == 0 and await identity(runtime, tenant, me) is None


async def test_persian_digits_are_read_and_the_request_is_refused_until_staff_verify_then_granted(
        runtime, pages, sign_in_customer, make_tenant):
    tenant = await entekhab(make_tenant)
    me = await sign_in_customer(pages, tenant)
    payment_id = await paid_in_cash(runtime, tenant, me, 29_999_999, "IRR")
    url = "/t/entekhab-test/my/refunds/new"
    persian_id = NATIONAL_ID.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    asked = await post_form(pages, url, {"payment": str(payment_id), "national_id": persian_id,
                                         "iban": " ".join(IBAN[i:i + 4] for i in range(0, len(IBAN), 4))})
    assert asked.status_code == 303
    refused = await pages.get(asked.headers["location"])
    assert 'data-state="refused"' in refused.text
    assert "Your national ID, checked by our staff" in refused.text
    assert "The bank&#39;s confirmation that the IBAN is in your own name" in refused.text
    on_file = await identity(runtime, tenant, me)
    assert (on_file.national_id, on_file.iban, on_file.identity_verified_at) == (NATIONAL_ID, IBAN, None)

    await verify_identity(runtime, tenant, me, NATIONAL_ID, IBAN)
    form = await pages.get(url, params={"payment": str(payment_id)})
    assert 'name="national_id"' not in form.text and 'name="iban"' not in form.text
    again = await post_form(pages, url, {"payment": str(payment_id), "note": "the unit was returned"})
    granted = await pages.get(again.headers["location"])
    assert 'data-state="awaiting_approval"' in granted.text and "finance team is reviewing" in granted.text
    listed = await pages.get("/t/entekhab-test/my/refunds")
    assert listed.text.count("data-refund=") == 2


async def test_at_3m_toman_cash_is_refused_and_store_credit_can_be_chosen(runtime, pages, sign_in_customer,
                                                                          make_tenant):
    tenant = await entekhab(make_tenant)
    me = await sign_in_customer(pages, tenant)
    payment_id = await paid_in_cash(runtime, tenant, me, 30_000_000, "IRR")
    url = "/t/entekhab-test/my/refunds/new"
    form = await pages.get(url, params={"payment": str(payment_id)})
    assert 'name="national_id"' not in form.text and '<option value="wallet"' in form.text
    wrong = await post_form(pages, url, {"payment": str(payment_id), "method": "bank_transfer"})
    assert wrong.status_code == 422 and field_error(wrong.text, "method")
    assert await count(runtime, tenant, Refund) == 0
    chosen = await post_form(pages, url, {"payment": str(payment_id), "method": "wallet"})
    page = await pages.get(chosen.headers["location"])
    assert 'data-state="awaiting_approval"' in page.text and "As store credit" in page.text


async def test_a_card_tenant_refunds_to_the_original_payment_without_identity(runtime, pages, sign_in_customer,
                                                                              make_tenant):
    shop = await make_tenant("refundshop")
    me = await sign_in_customer(pages, shop)
    payment_id = await paid_in_cash(runtime, shop, me, 80_00, "EUR")
    form = await pages.get("/t/refundshop/my/refunds/new", params={"payment": str(payment_id)})
    assert 'name="national_id"' not in form.text and "€80.00" in form.text
    asked = await post_form(pages, "/t/refundshop/my/refunds/new", {"payment": str(payment_id)})
    page = await pages.get(asked.headers["location"])
    assert 'data-state="awaiting_approval"' in page.text and "€80.00" in page.text


async def test_someone_elses_payment_and_refund_are_not_found(runtime, pages, sign_in_customer, make_tenant):
    shop = await make_tenant("privateshop")
    owner = await sign_in_customer(pages, shop)
    payment_id = await paid_in_cash(runtime, shop, owner, 50_00, "EUR")
    asked = await post_form(pages, "/t/privateshop/my/refunds/new", {"payment": str(payment_id)})
    refund_path = asked.headers["location"]

    await sign_in_customer(pages, shop)
    assert (await pages.get("/t/privateshop/my/refunds/new", params={"payment": str(payment_id)})).status_code == 404
    assert (await post_form(pages, "/t/privateshop/my/refunds/new", {"payment": str(payment_id)})).status_code == 404
    assert (await pages.get(refund_path)).status_code == 404
    assert "€50.00" not in (await pages.get("/t/privateshop/my/payments")).text
    assert "data-refund=" not in (await pages.get("/t/privateshop/my/refunds")).text
    assert (await pages.get("/t/privateshop/my/refunds/new", params={"payment": "not-an-id"})).status_code == 404

    other = await make_tenant("elsewhere")
    await sign_in_customer(pages, other)
    refund_id = refund_path.rsplit("/", 1)[1]
    assert (await pages.get(f"/t/elsewhere/my/refunds/{refund_id}")).status_code == 404
    assert (await pages.get("/t/elsewhere/my/refunds/new", params={"payment": str(payment_id)})).status_code == 404
    assert await count(runtime, shop, Refund) == 1


async def test_money_pages_need_a_signed_in_customer(pages, make_tenant):
    await make_tenant("closedshop")
    for path in ("/my/payments", "/my/refunds", "/my/refunds/new?payment=x"):
        answer = await pages.get(f"/t/closedshop{path}")
        assert answer.status_code == 303 and "/t/closedshop/sign-in?next=" in answer.headers["location"]

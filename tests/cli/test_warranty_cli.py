"""``aftersales warranty show | register | recall`` against the test's database, as an operator runs them."""

from __future__ import annotations

import json
from datetime import date, timedelta

from support.warranty import add_unit

IMEI = "490154203237518"


async def test_register_then_show_a_unit_from_the_command_line(cli, runtime, make_tenant):
    mehr = await make_tenant("mehr")
    await add_unit(runtime, mehr, IMEI)
    sold = date.today() - timedelta(days=20)
    done = cli("warranty", "register", "mehr", IMEI, "--purchased-on", sold.isoformat(), "--owner-name", "Sara",
               "--owner-email", "sara@example.com", "--price", "499.90")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("registered ") and "warranty until" in done.stdout
    shown = cli("warranty", "show", "mehr", "۴۹۰۱۵۴۲۰۳۲۳۷۵۱۸")
    assert shown.returncode == 0, shown.stderr
    unit = json.loads(shown.stdout)
    assert unit["status"] == "registered" and unit["coverage"]["status"] == "in_warranty"
    assert unit["coverage"]["reasons"] == ["18-month warranty from the sale"]


async def test_bad_input_is_one_line_and_exit_status_1(cli, runtime, make_tenant):
    mehr = await make_tenant("mehr")
    await add_unit(runtime, mehr, IMEI)
    future = (date.today() + timedelta(days=2)).isoformat()
    refused = cli("warranty", "register", "mehr", IMEI, "--purchased-on", future, "--owner-name", "Sara")
    assert refused.returncode == 1
    assert refused.stderr.count("\n") == 1 and "purchased_on: must not be in the future" in refused.stderr
    assert "owner.phone: a phone number or an e-mail address is needed" in refused.stderr
    assert "Traceback" not in refused.stderr
    missing = cli("warranty", "show", "mehr", "356938035643809")
    assert missing.returncode == 1 and "no unit with serial 356938035643809" in missing.stderr

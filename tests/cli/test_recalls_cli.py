"""``aftersales recalls create | launch | progress | close`` against the test's database, as an operator runs them."""

from __future__ import annotations

import json
import re

from support.recalls import DEFECT, REMEDY, add_units, outbox, register, statuses
from support.warranty import imei


async def test_a_campaign_from_draft_to_close_on_the_command_line(cli, client, runtime, make_tenant, staff_token):
    mehr = await make_tenant("mehr")
    await add_units(runtime, mehr, [imei(n) for n in range(10, 14)])
    await register(client, await staff_token(mehr, "admin"), imei(11), email="sara@example.com")
    created = cli("recalls", "create", "mehr", "--title", "Battery swelling", "--reason", DEFECT, "--remedy", REMEDY,
                  "--from", imei(11), "--to", imei(12))
    assert created.returncode == 0, created.stderr
    assert "2 units in service, 1 registered (1 owners to notify), 0 matching units out of service" in created.stdout
    campaign_id = re.search(r"drafted ([0-9a-f-]{36})", created.stdout).group(1)
    preview = json.loads(cli("recalls", "progress", "mehr", campaign_id).stdout)
    assert preview["status"] == "draft" and preview["preview"]["units"] == 2
    done = cli("recalls", "launch", "mehr", campaign_id)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "launched: 2 units recalled, 1 owners notified, 1 without an owner"
    assert [m.recipient for m in await outbox(runtime, mehr)] == ["sara@example.com"]
    again = cli("recalls", "launch", "mehr", campaign_id)
    assert again.returncode == 1 and "only a draft can be launched" in again.stderr
    shown = json.loads(cli("recalls", "progress", "mehr", campaign_id).stdout)
    assert shown["progress"] == {"units": 2, "registered": 1, "notified": 1, "acknowledged": 0, "fixed": 0,
                                 "unregistered": 1}
    assert cli("recalls", "close", "mehr", campaign_id).returncode == 0
    assert (await statuses(runtime, mehr))[imei(12)] == "recalled"


async def test_a_reversed_range_is_one_line_and_exit_status_1(cli, runtime, make_tenant):
    await make_tenant("mehr")
    refused = cli("recalls", "create", "mehr", "--title", "T", "--reason", DEFECT, "--remedy", REMEDY,
                  "--from", imei(12), "--to", imei(11))
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1
    assert f"serial_to: {imei(11)} comes before {imei(12)}" in refused.stderr and "Traceback" not in refused.stderr

"""SMS through the default file gateway: one JSON line per text, in one file per tenant."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from aftersales.outbox.delivery import deliver_due

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


async def test_texts_are_appended_to_the_tenants_own_file(make_tenant, queue, tuned, tmp_path, reload):
    mehr, entekhab = await make_tenant("mehr"), await make_tenant("entekhab", vertical="appliances")
    worker = tuned(data_dir=tmp_path)
    first = await queue(mehr.id, T0, channel="sms", recipient="+989121234567", key="otp:1", body="Code 4711")
    await queue(mehr.id, T0, channel="sms", recipient="+989121234567", key="otp:2", body="کد ۴۷۱۲")
    await queue(entekhab.id, T0, channel="sms", recipient="+982188776655", key="otp:1", body="Code 9000")

    assert await deliver_due(worker, mehr.id, T0) == 2
    assert await deliver_due(worker, entekhab.id, T0) == 1

    mehr_texts = [json.loads(line) for line in (tmp_path / "sms" / "mehr.jsonl").read_text("utf-8").splitlines()]
    assert sorted((t["to"], t["text"], t["idempotency_key"]) for t in mehr_texts) == [
        ("+989121234567", "Code 4711", "otp:1"), ("+989121234567", "کد ۴۷۱۲", "otp:2")]
    (entekhab_text,) = (tmp_path / "sms" / "entekhab.jsonl").read_text("utf-8").splitlines()
    assert json.loads(entekhab_text)["text"] == "Code 9000"
    assert (await reload(first)).status == "delivered"

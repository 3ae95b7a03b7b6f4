"""The event catalogue holds: every event in it is emitted by some code path of the product, every event the
product emits is in it, its schemas are published and documented beside the signing recipe."""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

import pytest

from aftersales.outbox.events import CATALOGUE, Event, json_schema

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ROOT / "platform" / "aftersales"
CATALOGUE_MODULE = PRODUCT / "outbox" / "events.py"
CLASSES = {event.__name__: name for name, event in CATALOGUE.items()}


def _called_name(call: ast.Call) -> str | None:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def _scan(root: Path = PRODUCT) -> tuple[dict[str, list[str]], list[str]]:
    """Where each catalogue event is built (outside the catalogue), and every ``emit`` call whose event is not
    built from a catalogue class right there, or any ``enqueue_event`` call outside the outbox."""
    built: dict[str, list[str]] = defaultdict(list)
    strays: list[str] = []
    for path in sorted(root.rglob("*.py")):
        if path == CATALOGUE_MODULE or "testing" in path.relative_to(root).parts:
            continue
        where = str(path.relative_to(root))
        for node in ast.walk(ast.parse(path.read_text(), filename=where)):
            if not isinstance(node, ast.Call):
                continue
            name = _called_name(node)
            if name in CLASSES:
                built[CLASSES[name]].append(f"{where}:{node.lineno}")
            elif name == "emit" and len(node.args) >= 2:
                event = node.args[1]
                if not (isinstance(event, ast.Call) and _called_name(event) in CLASSES):
                    strays.append(f"{where}:{node.lineno} emits {ast.unparse(event)}")
            elif name == "enqueue_event" and path.parent.name != "outbox":
                strays.append(f"{where}:{node.lineno} calls enqueue_event directly")
    return built, strays


def test_every_catalogue_event_is_emitted_by_some_code_path_and_every_emitted_event_is_in_the_catalogue():
    built, strays = _scan()
    assert sorted(set(CATALOGUE) - set(built)) == [], "catalogue events nothing emits"
    assert strays == [], "emits of events not built from the catalogue"


def test_the_scan_reports_an_event_built_outside_the_catalogue(tmp_path):
    """The guard can fail: an ``emit`` of anything but a catalogue event, or ``enqueue_event`` called from a
    domain, is reported; an event built from the catalogue is counted."""
    (tmp_path / "service").mkdir()
    (tmp_path / "service" / "stray.py").write_text(
        "async def f(s):\n"
        "    await emit(s, RequestReopened(request_id=1), key=1, now=None)\n"
        "    await enqueue_event(s, 'request.reopened', {}, 'k', now=None)\n"
        "    await emit(s, RequestOpened(request_id=1), key=1, now=None)\n")
    built, strays = _scan(tmp_path)
    assert dict(built) == {"request.opened": ["service/stray.py:4"]}
    assert strays == ["service/stray.py:2 emits RequestReopened(request_id=1)",
                      "service/stray.py:3 calls enqueue_event directly"]


def test_the_events_the_issue_promises_are_in_the_catalogue():
    promised = {"request.opened", "request.moved", "request.closed", "sla.at_risk", "sla.breached",
                "complaint.filed", "complaint.answered", "claim.decided", "registration.created", "recall.launched",
                "booking.created", "booking.cancelled", "booking.completed", "quote.accepted", "payment.captured",
                "refund.decided", "refund.executed"}
    assert promised <= set(CATALOGUE)
    assert all(re.fullmatch(r"[a-z_]+\.[a-z_]+", name) for name in CATALOGUE)


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_each_event_has_a_versioned_schema_and_a_description(name):
    event: type[Event] = CATALOGUE[name]
    schema = json_schema(event)
    assert schema["$id"] == f"urn:aftersales:webhook-event:{name}:v{event.version}"
    assert schema["properties"]["version"] == {"const": event.version, "type": "integer"}
    assert set(schema["properties"]) == {"version", *event.model_fields}
    assert schema["additionalProperties"] is False
    assert event.__doc__ and event.__doc__.strip()


async def test_the_catalogue_is_published_without_credentials(client):
    response = await client.get("/api/v1/webhook-events/")
    assert response.status_code == 200
    published = {e["name"]: e for e in response.json()}
    assert set(published) == set(CATALOGUE)
    opened = published["request.opened"]
    assert opened["version"] == 1 and opened["description"].startswith("A service request was opened")
    assert opened["json_schema"] == json_schema(CATALOGUE["request.opened"])


def test_every_event_is_documented_beside_the_signing_recipe():
    guide = (ROOT / "docs" / "webhooks.md").read_text()
    assert "Aftersales-Signature" in guide
    for name, event in CATALOGUE.items():
        row = re.search(rf"^\| `{re.escape(name)}` \| {event.version} \|", guide, re.MULTILINE)
        assert row, f"{name} (v{event.version}) is not in the catalogue table of docs/webhooks.md"
        for field in event.model_fields:
            assert f"`{field}`" in guide[row.start():guide.index("\n", row.start())], (name, field)
    assert "docs/webhooks.md" in (ROOT / "docs" / "architecture.md").read_text()

"""Helpers of the units-on-the-move tests (intake and transfers): images as data URLs, points, a request taken in."""

from __future__ import annotations

import base64
from typing import Any

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 8


def data_url(content: bytes, content_type: str = "image/png") -> str:
    return f"data:{content_type};base64,{base64.b64encode(content).decode()}"


SIGNATURE = data_url(PNG)
PHOTO = data_url(JPEG, "image/jpeg")
MEHR_ANSWERS = {"box": True, "charger": False, "accessories": "cable", "visible_damage": "scratch on the back",
                "photos": [PHOTO]}
"""Every item of Mehr's checklist (electronics) answered."""
WORKSHOP = {"name": "Central workshop", "latitude": 35.7, "longitude": 51.4, "country": "IR", "kind": "workshop"}
OFFICE = {"name": "Tajrish office", "latitude": 35.8, "longitude": 51.43, "country": "IR", "kind": "office"}
REPAIR = {"kind": "repair", "channel": "walk_in", "summary": "screen flickers",
          "customer": {"name": "Sara Ahmadi", "phone": "+98 912 345 6789"}}


async def points(client: Any, admin: dict[str, str]) -> tuple[str, str]:
    """The tenant's central workshop and a service office: their ids."""
    workshop = await client.post("/api/v1/service-points/", json=WORKSHOP, headers=admin)
    office = await client.post("/api/v1/service-points/", json=OFFICE, headers=admin)
    assert workshop.status_code == office.status_code == 201, workshop.text
    return workshop.json()["id"], office.json()["id"]


async def open_request(client: Any, headers: dict[str, str]) -> dict[str, Any]:
    opened = await client.post("/api/v1/requests/", json=REPAIR, headers=headers)
    assert opened.status_code == 201, opened.text
    return opened.json()


def intake_body(point_id: str, **changes: Any) -> dict[str, Any]:
    return {"service_point_id": point_id, "answers": MEHR_ANSWERS, "signer_name": "Sara Ahmadi",
            "signature": SIGNATURE, **changes}


async def taken_in(client: Any, headers: dict[str, str], point_id: str) -> dict[str, Any]:
    """A repair request whose unit was taken in at ``point_id``."""
    request = await open_request(client, headers)
    done = await client.post(f"/api/v1/requests/{request['id']}/intake", json=intake_body(point_id), headers=headers)
    assert done.status_code == 201, done.text
    return request

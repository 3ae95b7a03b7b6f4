"""A request's unit on its console page: the intake form (the vertical's checklist, the service points) or the
intake as taken, where the unit is, and its legs between service points with the send and receive controls.
Read by the request page (:mod:`~aftersales.web.console.requests_pages`) for its ``console/unit_moves.html``
partial, and by the intake receipt page (:mod:`~aftersales.web.console.unit_pages`)."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from litestar.datastructures import UploadFile
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.values import IntakeChecklist, IntakeItem
from aftersales.service.intake import services as intake
from aftersales.service.models import ServicePoint, ServiceRequest, UnitIntake, UnitTransfer
from aftersales.service.requests.location import UnitLocation, location_of
from aftersales.service.transfers import services as transfers
from aftersales.tenancy.current import CurrentTenant
from aftersales.web.console.console_pages import parse_id


@dataclass(frozen=True)
class UnitView:
    """Everything the request page shows of its unit on the move."""

    checklist: IntakeChecklist | None
    """The checklist to answer, while the unit is not taken in."""
    intake: UnitIntake | None
    items: list[IntakeItem]
    """The checklist as it was asked at the intake."""
    points: list[ServicePoint]
    """Active service points, by name: where a unit may be taken in or sent."""
    names: dict[Any, str]
    """Every service point's name by id (retired ones too: a leg may name one)."""
    location: UnitLocation | None
    said: str | None
    """Where the unit is, as a sentence dated in the tenant's calendar (rendered for the reader by the page)."""
    legs: list[UnitTransfer]

    @property
    def open_leg(self) -> UnitTransfer | None:
        return next((leg for leg in self.legs if leg.received_at is None), None)


async def unit_view(session: AsyncSession, tenant: CurrentTenant, request: ServiceRequest) -> UnitView:
    """The unit of ``request`` as its page shows it."""
    taken = await intake.intake_of(session, request.id)
    where = await location_of(session, request)
    every = await transfers.service_points(session)
    return UnitView(
        checklist=None if taken else await intake.checklist_for(session, tenant, request), intake=taken,
        items=intake.asked_items(taken) if taken else [], points=[p for p in every if p.active],
        names={p.id: p.name for p in every}, location=where,
        said=where.sentence(tenant.calendar.zone) if where else None,
        legs=await transfers.transfers_of(session, request.id))


async def intake_asked(posted: Any, checklist: IntakeChecklist) -> intake.IntakeAsked | None:
    """The intake form as the service takes it: yes/no answers as booleans, texts, photo files as data URLs;
    None when the service point is not a valid id (the service names every other problem)."""
    point = parse_id(str(posted.get("service_point_id") or ""))
    if point is None:
        return None
    answers: dict[str, intake.Answer] = {}
    for item in checklist.items:
        name = f"answer_{item.code}"
        if item.kind == "yes_no":
            value = str(posted.get(name) or "")
            if value in ("yes", "no"):
                answers[item.code] = value == "yes"
        elif item.kind == "text":
            answers[item.code] = str(posted.get(name) or "")
        else:
            files = [f for f in posted.getall(name, []) if isinstance(f, UploadFile) and f.filename]
            answers[item.code] = [await _data_url(f) for f in files]
    return intake.IntakeAsked(service_point_id=point, answers=answers,
                              signer_name=str(posted.get("signer_name") or ""),
                              signature=str(posted.get("signature") or ""))


async def _data_url(upload: UploadFile) -> str:
    content = await upload.read()
    return f"data:{upload.content_type or 'application/octet-stream'};base64,{base64.b64encode(content).decode()}"

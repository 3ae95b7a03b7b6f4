"""Bodies and answers of the dispatch endpoints.

Numbers and coordinates carry their bounds in the document (``json_schema_extra``) but are checked by the
services alone, so a latitude of 91 or a capacity of 10^12 is refused with the body's other bad fields (422,
each named with its reason and code) and nothing is written.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from aftersales.dispatch import day_sheet, onsite, technicians, visits
from aftersales.dispatch.models import Technician, TechnicianAuthorisation, Visit
from aftersales.dispatch.planning import FixedPlan
from aftersales.dispatch.suggestions import REASONS, Suggestions
from aftersales.http.bodies import limited_text


def _bounded(low: float, high: float, description: str, **default: object) -> object:
    return Field(json_schema_extra={"minimum": low, "maximum": high}, description=description, **default)


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TechnicianIn(_Body):
    name: limited_text(technicians.MAX_NAME)  # type: ignore[valid-type]
    staff_user_id: UUID | None = Field(default=None, description="The staff user who is this technician; or give "
                                                                  "provider_id.")
    provider_id: UUID | None = Field(default=None, description="The marketplace provider they work for.")
    email: limited_text(technicians.MAX_EMAIL) | None = Field(  # type: ignore[valid-type]
        default=None, description="Where the fixed plan is sent; the staff user's or provider's address without it.")
    skills: list[limited_text(technicians.MAX_SKILL)] = Field(  # type: ignore[valid-type]
        default_factory=list, json_schema_extra={"maxItems": technicians.MAX_SKILLS})
    home_latitude: float = _bounded(-90, 90, "Where they start their day.")  # type: ignore[assignment]
    home_longitude: float = _bounded(-180, 180, "Where they start their day.")  # type: ignore[assignment]
    works_from: time = Field(description="Local wall-clock time they start, e.g. 08:00.")
    works_until: time = Field(description="Local wall-clock time they stop, e.g. 17:00.")
    weekdays: list[int] = Field(description="The days they work: 0 Monday … 6 Sunday.",
                                json_schema_extra={"maxItems": 7})
    daily_capacity: int = _bounded(1, technicians.MAX_DAILY_CAPACITY, "Visits a day.")  # type: ignore[assignment]
    active: bool = True

    def value(self) -> technicians.NewTechnician:
        return technicians.NewTechnician(
            name=self.name, staff_user_id=self.staff_user_id, provider_id=self.provider_id, email=self.email,
            skills=list(self.skills), home_latitude=self.home_latitude, home_longitude=self.home_longitude,
            works_from=self.works_from, works_until=self.works_until, weekdays=list(self.weekdays),
            daily_capacity=self.daily_capacity, active=self.active)


class AuthorisationIn(_Body):
    category: limited_text(technicians.MAX_CATEGORY)  # type: ignore[valid-type]
    reference: limited_text(technicians.MAX_REFERENCE)  # type: ignore[valid-type]
    until: date = Field(description="The last day the authorisation holds.")


class AuthorisationOut(BaseModel):
    id: UUID
    technician_id: UUID
    category: str
    reference: str
    until: date


class TechnicianOut(BaseModel):
    id: UUID
    name: str
    staff_user_id: UUID | None
    provider_id: UUID | None
    email: str | None
    skills: list[str]
    home_latitude: float
    home_longitude: float
    works_from: time
    works_until: time
    weekdays: list[int]
    daily_capacity: int
    active: bool
    authorisations: list[AuthorisationOut]


def authorisation_out(held: TechnicianAuthorisation) -> AuthorisationOut:
    return AuthorisationOut(id=held.id, technician_id=held.technician_id, category=held.category,
                            reference=held.reference, until=held.until)


def technician_out(technician: Technician, held: list[TechnicianAuthorisation]) -> TechnicianOut:
    return TechnicianOut(
        id=technician.id, name=technician.name, staff_user_id=technician.staff_user_id,
        provider_id=technician.provider_id, email=technician.email, skills=list(technician.skills),
        home_latitude=technician.home_latitude, home_longitude=technician.home_longitude,
        works_from=technician.works_from, works_until=technician.works_until, weekdays=list(technician.weekdays),
        daily_capacity=technician.daily_capacity, active=technician.active,
        authorisations=[authorisation_out(a) for a in held])


class VisitIn(_Body):
    request_id: UUID | None = Field(default=None, description="The service request it serves; or booking_id.")
    booking_id: UUID | None = Field(default=None, description="The marketplace booking it serves.")
    day: date
    window_start: time = Field(description="Local wall-clock time, e.g. 09:00.")
    window_end: time
    skill: limited_text(technicians.MAX_SKILL)  # type: ignore[valid-type]
    address: limited_text(visits.MAX_ADDRESS)  # type: ignore[valid-type]
    site_latitude: float | None = _bounded(-90, 90, "The site; the job's own when left out.", default=None)  # type: ignore
    site_longitude: float | None = _bounded(-180, 180, "The site; the job's own when left out.", default=None)  # type: ignore

    def value(self) -> visits.NewVisit:
        return visits.NewVisit(day=self.day, window_start=self.window_start, window_end=self.window_end,
                               skill=self.skill, address=self.address, request_id=self.request_id,
                               booking_id=self.booking_id, site_latitude=self.site_latitude,
                               site_longitude=self.site_longitude)


class VisitOut(BaseModel):
    id: UUID
    request_id: UUID | None
    booking_id: UUID | None
    skill: str
    category: str | None = Field(description="The registered unit's catalogue category.")
    in_warranty: bool = Field(description="Whether the unit's warranty runs on the visit's day.")
    site_latitude: float
    site_longitude: float
    address: str
    day: date
    window_start: time
    window_end: time
    technician_id: UUID | None
    route_order: int | None
    state: str = Field(description="unplanned, planned, fixed, arrived, started, finished or cancelled.")
    planned_at: datetime | None
    fixed_at: datetime | None
    flagged_at: datetime | None = Field(description="When the plan's cut-off passed with the visit unplanned.")
    arrived_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    signed_by: str | None
    signed: bool = Field(description="Whether the customer's signature is kept (the image itself is not answered).")


def visit_out(visit: Visit) -> VisitOut:
    return VisitOut(
        id=visit.id, request_id=visit.request_id, booking_id=visit.booking_id, skill=visit.skill,
        category=visit.category, in_warranty=visit.in_warranty, site_latitude=visit.site_latitude,
        site_longitude=visit.site_longitude, address=visit.address, day=visit.day, window_start=visit.window_start,
        window_end=visit.window_end, technician_id=visit.technician_id, route_order=visit.route_order,
        state=visit.state, planned_at=visit.planned_at, fixed_at=visit.fixed_at, flagged_at=visit.flagged_at,
        arrived_at=visit.arrived_at, started_at=visit.started_at, finished_at=visit.finished_at,
        signed_by=visit.signed_by, signed=visit.signature_png is not None)


class SuggestionOut(BaseModel):
    technician_id: UUID
    name: str
    distance_km: float
    travels_from: str = Field(description="previous_visit (their visit before this window that day) or home.")
    load: int = Field(description="Their visits already planned that day.")
    daily_capacity: int


class SlaWarningOut(BaseModel):
    clock: str
    due_at: datetime
    window_ends_at: datetime


class SuggestionsOut(BaseModel):
    visit_id: UUID
    suggestions: list[SuggestionOut] = Field(description="Nearest first, then the least loaded.")
    eligible: int = Field(description="How many technicians can take the visit (the list shows the nearest).")
    left_out: dict[str, int] = Field(description="Technicians who cannot, counted by the first rule each breaks: "
                                                 + ", ".join(REASONS) + ".")
    authorisation_required: bool = Field(description="Only technicians authorised for the category on the day.")
    warnings: list[SlaWarningOut] = Field(description="On-site clocks of the request due before the window ends: "
                                                      "whoever goes arrives late.")


def suggestions_out(found: Suggestions) -> SuggestionsOut:
    return SuggestionsOut(
        visit_id=found.visit.id, eligible=found.eligible, left_out=found.left_out,
        authorisation_required=found.authorisation_required,
        suggestions=[SuggestionOut(technician_id=s.technician_id, name=s.name, distance_km=s.distance_km,
                                   travels_from=s.travels_from, load=s.load, daily_capacity=s.daily_capacity)
                     for s in found.suggestions],
        warnings=[SlaWarningOut(clock=w.clock, due_at=w.due_at, window_ends_at=w.window_ends_at)
                  for w in found.warnings])


class PlanIn(_Body):
    technician_id: UUID
    window_start: time | None = Field(default=None, description="A new window; the visit's own when left out.")
    window_end: time | None = None


class FixedPlanOut(BaseModel):
    day: date
    cutoff_at: datetime | None = Field(description="The day's plan cut-off (None: the vertical sets none).")
    fixed: list[UUID] = Field(description="The visits fixed now (their technicians and customers told).")
    flagged: list[UUID] = Field(description="The visits flagged as unplanned at the cut-off.")


def fixed_out(result: FixedPlan) -> FixedPlanOut:
    return FixedPlanOut(day=result.day, cutoff_at=result.cutoff_at, fixed=[v.id for v in result.fixed],
                        flagged=[v.id for v in result.flagged])


class PartUsedIn(_Body):
    reservation_id: UUID
    quantity: int | None = Field(default=None, description="How many were used (all reserved when left out).")


class FinishIn(_Body):
    signature: Annotated[str, Field(json_schema_extra={"maxLength": onsite.MAX_SIGNATURE_BYTES * 4 // 3 + 30},
                                    description="The customer's signature: data:image/png;base64,…")]
    signed_by: limited_text(technicians.MAX_NAME)  # type: ignore[valid-type]
    parts_used: list[PartUsedIn] = Field(default_factory=list, json_schema_extra={"maxItems": onsite.MAX_PARTS_USED},
                                         description="The job's reservations whose parts were used: issued to it.")


class PartToBringOut(BaseModel):
    reservation_id: UUID
    part_id: UUID
    code: str
    name: str
    quantity: int
    condition: str
    location_id: UUID


class CustomerOut(BaseModel):
    id: UUID
    name: str
    phone: str | None


class SheetLineOut(BaseModel):
    visit: VisitOut
    customer: CustomerOut
    parts_to_bring: list[PartToBringOut]


class DaySheetOut(BaseModel):
    technician_id: UUID
    name: str
    day: date
    visits: list[SheetLineOut] = Field(description="In route order.")


def day_sheet_out(sheet: day_sheet.DaySheet) -> DaySheetOut:
    return DaySheetOut(technician_id=sheet.technician.id, name=sheet.technician.name, day=sheet.day, visits=[
        SheetLineOut(visit=visit_out(line.visit),
                     customer=CustomerOut(id=line.customer.id, name=line.customer.name, phone=line.customer.phone),
                     parts_to_bring=[PartToBringOut(**vars(part)) for part in line.parts])
        for line in sheet.lines])

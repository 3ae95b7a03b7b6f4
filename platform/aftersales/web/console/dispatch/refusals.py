"""The dispatch services' refusals in the reader's language: a conflict worded by its code, a field's reason by
its code or its field (a reason neither knows is shown as the service gave it)."""

from __future__ import annotations

from datetime import date

from aftersales.errors import Conflict, InvalidInput
from aftersales.web.console.console_pages import Clock
from aftersales.web.console.dispatch.words import DispatchLabels

FORM_FIELDS = {"window_start": "window", "window_end": "window"}
"""The form's field for a service's field the form shows together (the window's two times)."""


def _day(clock: Clock, iso: str) -> str:
    return clock.page.fmt.date(date.fromisoformat(iso))


def conflict_reason(clock: Clock, exc: Conflict) -> str:
    """Why the visit's or the plan's state refused the action."""
    _ = clock.page.translations.gettext
    params = exc.params
    labels = DispatchLabels(clock.page.translations)
    state = {"state": labels.state(str(params.get("state")))}
    words = {
        "dispatch.visit_not_plannable": lambda: _("The visit is %(state)s: it can no longer be planned.") % state,
        "dispatch.technician_inactive": lambda: _("This technician is not active."),
        "dispatch.outside_hours": lambda: _("This technician works %(from)s–%(until)s on their working days.") % {
            "from": clock.page.fmt.digits(str(params.get("works_from"))),
            "until": clock.page.fmt.digits(str(params.get("works_until")))},
        "dispatch.no_skill": lambda: _("This technician lacks the skill %(skill)s.") % {"skill": params.get("skill")},
        "dispatch.not_authorised": lambda: _(
            "An in-warranty visit needs a technician authorised for %(category)s on its day.") % {
            "category": params.get("category") or "—"},
        "dispatch.over_capacity": lambda: _("This technician's %(count)s places that day are taken.") % {
            "count": clock.page.fmt.number(int(params.get("daily_capacity", 0)))},
        "dispatch.window_taken": lambda: _("This technician has another visit in that window."),
        "dispatch.staff_user_taken": lambda: _("This staff member is a technician already."),
        "dispatch.visit_out_of_order": lambda: _("The visit is %(state)s: this step cannot be taken now.") % state,
    }
    worded = words.get(exc.code or "")
    return worded() if worded is not None else exc.detail


def field_reasons(clock: Clock, exc: InvalidInput) -> dict[str, str]:
    """Each refused field's reason (the first per field): by its code, else by its field."""
    _ = clock.page.translations.gettext
    by_code = {
        "dispatch.signature_not_png": lambda e: _("The customer signs in the box before the visit is finished."),
        "dispatch.signature_too_large": lambda e: _("The signature is too large: clear it and sign again."),
        "dispatch.text_too_long": lambda e: _("Too long: at most %(count)s characters.") % {
            "count": clock.page.fmt.number(e.params["limit"])},
        "dispatch.quantity_out_of_range": lambda e: _(
            "Give how many of each part were used: at most the number reserved."),
        "dispatch.coordinate_out_of_range": lambda e: _("Give a number between -%(limit)s and %(limit)s.") % {
            "limit": clock.page.fmt.number(e.params["limit"])},
        "dispatch.capacity_out_of_range": lambda e: _("Give a number of visits from 1 to %(limit)s.") % {
            "limit": clock.page.fmt.number(e.params["limit"])},
        "dispatch.hours_out_of_order": lambda e: _("The working day ends after it starts."),
        "dispatch.bad_weekdays": lambda e: _("Choose at least one working day."),
        "dispatch.too_many_skills": lambda e: _("At most %(count)s skills.") % {
            "count": clock.page.fmt.number(e.params["limit"])},
        "dispatch.unknown_staff_user": lambda e: _("Choose one of the company's staff."),
        "dispatch.staff_or_provider": lambda e: _("Choose one of the company's staff."),
        "date.out_of_window": lambda e: _("Enter a date between %(earliest)s and %(latest)s.") % {
            "earliest": _day(clock, e.params["earliest"]), "latest": _day(clock, e.params["latest"])},
    }
    words = {
        "day": lambda: _("Enter the date as year-month-day."),
        "technician_id": lambda: _("Choose one of the suggested technicians."),
        "window": lambda: _("The window starts before it ends."),
        "signed_by": lambda: _("Write the name of the customer who signs."),
        "name": lambda: _("Write the technician's name."),
        "skills": lambda: _("Write each skill in a few words."),
        "staff_user_id": lambda: _("Choose one of the company's staff."),
        "home_latitude": lambda: _("Give a number between -90 and 90."),
        "home_longitude": lambda: _("Give a number between -180 and 180."),
        "works_from": lambda: _("Enter the time as hours:minutes."),
        "works_until": lambda: _("Enter the time as hours:minutes."),
        "daily_capacity": lambda: _("Give a whole number of visits."),
        "signature": lambda: _("The customer signs in the box before the visit is finished."),
        "parts_used": lambda: _("Give how many of each part were used: at most the number reserved."),
    }
    reasons: dict[str, str] = {}
    for error in exc.errors:
        name = FORM_FIELDS.get(error.field.split(".")[0], error.field.split(".")[0])
        if (coded := by_code.get(error.code or "")) is not None:
            reasons.setdefault(name, coded(error))
        elif (worded := words.get(name)) is not None:
            reasons.setdefault(name, worded())
        else:
            reasons.setdefault(name, error.reason)
    return reasons

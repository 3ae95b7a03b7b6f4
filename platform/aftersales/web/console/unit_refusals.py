"""A refused intake or transfer worded for the staff member in their language, by the error's ``code`` and
``params`` (:mod:`aftersales.errors`), never by matching the service's English; a code without words here keeps the
service's reason."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aftersales.errors import Conflict, InvalidInput
from aftersales.web.console.labels import N_

FIELD_WORDS = {
    "intake.unknown_item": N_("This is not an item of the checklist."),
    "intake.required": N_("This must be answered."),
    "intake.wrong_kind": N_("This answer is not of the kind the item asks for."),
    "intake.unknown_point": N_("Choose one of the company's active service points."),
    "intake.bad_image": N_("Give a JPEG or PNG image (the signature: PNG)."),
    "intake.image_too_large": N_("The image must be at most %(limit_kib)s KiB."),
    "intake.too_long": N_("Keep it under %(limit)s characters."),
    "intake.too_many_photos": N_("At most %(limit)s photos."),
    "transfer.unknown_point": N_("Choose one of the company's active service points."),
    "transfer.same_point": N_("The unit is already there."),
    "transfer.empty": N_("Fill this in."),
    "transfer.too_long": N_("Keep it under %(limit)s characters."),
    "transfer.time_in_future": N_("The time must not be in the future."),
    "transfer.time_before_arrival": N_("The time must not be before the unit got there."),
}
REASON_WORDS = {
    "intake.exists": N_("The unit of this request was taken in already."),
    "intake.request_ended": N_("The request has ended; no unit is taken in for it."),
    "transfer.not_taken_in": N_("The unit was never taken in: take it in first."),
    "transfer.in_transit": N_("The unit is on its way already."),
    "transfer.request_ended": N_("The request has ended; its unit is not sent anywhere."),
    "transfer.received_already": N_("This transfer was received already."),
}


def worded(exc: InvalidInput | Conflict, gettext: Callable[[str], str]) -> tuple[dict[str, str] | None, str]:
    """The field reasons (for a 422) or the reason (for a 409) of ``exc``, in the reader's language."""
    if isinstance(exc, InvalidInput) and exc.errors:
        return {e.field: _say(FIELD_WORDS, e.code, e.params, e.reason, gettext) for e in exc.errors}, ""
    return None, _say(REASON_WORDS, exc.code, exc.params, exc.detail, gettext)


def _say(words: dict[str, str], code: str | None, params: Any, fallback: str, gettext: Callable[[str], str]) -> str:
    known = words.get(code or "")
    return gettext(known) % dict(params or {}) if known else fallback

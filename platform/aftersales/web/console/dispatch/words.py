"""The dispatch pages' words for the codes visits carry (``unplanned``, ``fixed``, ``arrived`` …), in the
reader's language, looked up as every console label is (:class:`~aftersales.web.console.labels.CodeWords`)."""

from __future__ import annotations

from dataclasses import dataclass

from aftersales.web.console.labels import N_, CodeWords

VISIT_STATES = {
    "unplanned": N_("Unplanned"), "planned": N_("Planned"), "fixed": N_("In the fixed plan"),
    "arrived": N_("Arrived"), "started": N_("Started"), "finished": N_("Finished"), "cancelled": N_("Cancelled"),
}
VISIT_TONES = {"unplanned": "warn", "fixed": "good", "finished": "good", "cancelled": "bad"}
"""The badge colour of each visit state (always beside its label)."""
LEFT_OUT = {
    "inactive": N_("inactive"), "not_working_that_day": N_("not working that day"),
    "outside_hours": N_("outside their hours"), "no_skill": N_("without the skill"),
    "not_authorised": N_("not authorised"), "full": N_("fully booked"), "busy_in_window": N_("busy in the window"),
}
"""Why the suggestion left a technician out (:data:`aftersales.dispatch.suggestions.REASONS`)."""
TRAVELS_FROM = {"previous_visit": N_("from the previous visit"), "home": N_("from home")}
WEEKDAYS = {"0": N_("Mon"), "1": N_("Tue"), "2": N_("Wed"), "3": N_("Thu"), "4": N_("Fri"), "5": N_("Sat"),
            "6": N_("Sun")}


@dataclass(frozen=True)
class DispatchLabels(CodeWords):
    """``dispatch_labels.state("fixed")`` → ``In the fixed plan`` in the page's language."""

    def state(self, code: str) -> str:
        return self._of(VISIT_STATES, code)

    def tone(self, code: str) -> str:
        return VISIT_TONES.get(code, "neutral")

    def left_out(self, code: str) -> str:
        return self._of(LEFT_OUT, code)

    def travels_from(self, code: str) -> str:
        return self._of(TRAVELS_FROM, code)

    def weekday(self, number: int) -> str:
        return self._of(WEEKDAYS, str(number))

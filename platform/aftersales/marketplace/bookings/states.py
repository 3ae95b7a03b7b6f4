"""The life of a booking: which moves each state allows, and the times the rules are counted from.

``booked`` → ``arrived`` (the customer is there) → ``in_progress`` → ``completed``; a mobile technician who goes
to the customer starts straight from ``booked``. A booking that has not started may be ``cancelled``; one whose
customer never came is recorded as a ``no_show`` once its start plus :data:`ARRIVAL_GRACE` has passed.
``completed``, ``cancelled`` and ``no_show`` are final. An illegal move is a :class:`~aftersales.errors.Conflict`
naming the state the booking is in.
"""

from __future__ import annotations

import enum
from datetime import timedelta

from aftersales.errors import Conflict


class BookingState(enum.StrEnum):
    BOOKED = "booked"
    ARRIVED = "arrived"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


class Move(enum.StrEnum):
    ARRIVE = "arrive"
    START = "start"
    COMPLETE = "complete"
    NO_SHOW = "no_show"
    CANCEL = "cancel"
    RESCHEDULE = "reschedule"


ARRIVAL_GRACE = timedelta(minutes=15)
"""A customer who arrives by the booked time plus this is on time: served first (Carmax), and not a no-show."""

CUSTOMER_NOTICE = timedelta(hours=2)
"""A customer cancels or reschedules their own booking up to this long before it starts; later only the
provider or the tenant's staff can (the slot is then too late to give to someone else)."""

_MOVES: dict[Move, dict[BookingState, BookingState]] = {
    Move.ARRIVE: {BookingState.BOOKED: BookingState.ARRIVED},
    Move.START: {BookingState.BOOKED: BookingState.IN_PROGRESS, BookingState.ARRIVED: BookingState.IN_PROGRESS},
    Move.COMPLETE: {BookingState.ARRIVED: BookingState.COMPLETED, BookingState.IN_PROGRESS: BookingState.COMPLETED},
    Move.NO_SHOW: {BookingState.BOOKED: BookingState.NO_SHOW},
    Move.CANCEL: {BookingState.BOOKED: BookingState.CANCELLED, BookingState.ARRIVED: BookingState.CANCELLED},
    Move.RESCHEDULE: {BookingState.BOOKED: BookingState.CANCELLED},
}

_REFUSALS = {
    Move.ARRIVE: "only a booked customer can arrive",
    Move.START: "work starts on a booked or arrived booking",
    Move.COMPLETE: "only work that started (or a customer who arrived) can be completed",
    Move.NO_SHOW: "only a booking whose customer never arrived can be a no-show",
    Move.CANCEL: "only a booking that has not started can be cancelled",
    Move.RESCHEDULE: "only a booking that is still booked can be rescheduled",
}


def next_state(state: str, move: Move) -> BookingState:
    """The state ``move`` leads to from ``state``. :raises Conflict: the move is not allowed from there."""
    allowed = _MOVES[move]
    try:
        return allowed[BookingState(state)]
    except KeyError:
        raise Conflict(f"{_REFUSALS[move]}; this booking is {state}") from None


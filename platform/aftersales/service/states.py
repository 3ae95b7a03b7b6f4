"""The life of a service request: its states and the moves between them.

A request is received, diagnosed, may wait for parts, is repaired, made ready, and ends returned to the
customer, replaced, refunded or closed — or cancelled at any point before it ends. Every other move is refused
with the reason and the moves that are allowed from where the request stands, so an agent knows what to do.
"""

from __future__ import annotations

import enum

from aftersales.errors import Conflict


class RequestState(enum.StrEnum):
    RECEIVED = "received"
    DIAGNOSING = "diagnosing"
    WAITING_FOR_PARTS = "waiting_for_parts"
    IN_REPAIR = "in_repair"
    READY = "ready"
    RETURNED = "returned"
    REPLACED = "replaced"
    REFUNDED = "refunded"
    CLOSED = "closed"
    CANCELLED = "cancelled"


S = RequestState
FINAL = frozenset({S.RETURNED, S.REPLACED, S.REFUNDED, S.CLOSED, S.CANCELLED})

MOVES: dict[RequestState, frozenset[RequestState]] = {
    S.RECEIVED: frozenset({S.DIAGNOSING, S.IN_REPAIR, S.READY, S.CLOSED, S.CANCELLED}),
    S.DIAGNOSING: frozenset({S.WAITING_FOR_PARTS, S.IN_REPAIR, S.READY, S.REPLACED, S.REFUNDED, S.CLOSED,
                             S.CANCELLED}),
    S.WAITING_FOR_PARTS: frozenset({S.IN_REPAIR, S.REPLACED, S.REFUNDED, S.CANCELLED}),
    S.IN_REPAIR: frozenset({S.WAITING_FOR_PARTS, S.READY, S.REPLACED, S.REFUNDED, S.CANCELLED}),
    S.READY: frozenset({S.RETURNED, S.IN_REPAIR, S.CLOSED}),
    **{final: frozenset() for final in FINAL},
}
"""From each state, where a request may go. A ready unit may go back into repair (it failed the final test);
inquiries and complaints close from received or diagnosing without a repair."""


class IllegalTransition(Conflict):
    """A move the request's life does not allow; the message says why and what is allowed instead."""


def check_move(current: RequestState, target: RequestState) -> None:
    """:raises IllegalTransition: when ``target`` cannot follow ``current``."""
    if target in MOVES[current]:
        return
    if current in FINAL:
        raise IllegalTransition(f"the request is already {current.value}; an ended request does not move again")
    if target == current:
        raise IllegalTransition(f"the request is already {current.value}")
    allowed = ", ".join(sorted(s.value for s in MOVES[current]))
    raise IllegalTransition(f"a request that is {current.value} cannot become {target.value}; it can become: {allowed}")

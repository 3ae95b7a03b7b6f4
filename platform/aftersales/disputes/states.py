"""A dispute's states and the moves between them; a wrong move is refused with the state it is in.

``open`` (waiting for the other side's answer) → ``answered`` → ``mediation`` (staff take it; also straight
from ``open`` when the other side does not answer) → ``settlement_proposed`` → ``settled`` when the customer
accepts (declining goes back to ``mediation``). Customer service rules (``ruled``) once the other side answered
or mediation began; the customer may withdraw (``withdrawn``) any time before the end.
"""

from __future__ import annotations

from enum import StrEnum

from aftersales.errors import Conflict


class DisputeState(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    MEDIATION = "mediation"
    SETTLEMENT_PROPOSED = "settlement_proposed"
    SETTLED = "settled"
    RULED = "ruled"
    WITHDRAWN = "withdrawn"


S = DisputeState
FINAL = frozenset({S.SETTLED, S.RULED, S.WITHDRAWN})
"""Ended: nothing moves it again, and another dispute about the same subject may be opened."""
MOVES: dict[DisputeState, frozenset[DisputeState]] = {
    S.OPEN: frozenset({S.ANSWERED, S.MEDIATION, S.WITHDRAWN}),
    S.ANSWERED: frozenset({S.MEDIATION, S.RULED, S.WITHDRAWN}),
    S.MEDIATION: frozenset({S.SETTLEMENT_PROPOSED, S.RULED, S.WITHDRAWN}),
    S.SETTLEMENT_PROPOSED: frozenset({S.SETTLED, S.MEDIATION, S.RULED, S.WITHDRAWN}),
    S.SETTLED: frozenset(), S.RULED: frozenset(), S.WITHDRAWN: frozenset(),
}
_VERBS = {S.ANSWERED: "answered", S.MEDIATION: "taken into mediation", S.SETTLEMENT_PROPOSED: "offered a settlement",
          S.SETTLED: "settled", S.RULED: "ruled on", S.WITHDRAWN: "withdrawn"}


def check_move(current: str, target: DisputeState) -> None:
    """:raises Conflict: ``target`` is not reachable from ``current`` (code ``dispute.wrong_state``)."""
    if target not in MOVES[DisputeState(current)]:
        raise Conflict(f"a dispute that is {current.replace('_', ' ')} cannot be {_VERBS[target]}",
                       code="dispute.wrong_state", params={"state": current, "to": target.value})

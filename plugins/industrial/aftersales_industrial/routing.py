"""Where a problem found on a follow-up goes (seed 004): to the service or training engineer; if the engineer
cannot solve it, to R&D by a work contact letter; once solved, the customer is called back.

The core makes each step a follow-up on the agents' list (the engineer's step assigned to the engineer of the
request followed up) and asks again when it is answered, with the steps taken so far in ``answer.routing``.
"""

from __future__ import annotations

from aftersales.contract import FollowUpAnswer, FollowUpRouting, messages

_ = messages("aftersales_industrial")


def next_step(answer: FollowUpAnswer) -> FollowUpRouting | None:
    """The step after ``answer``: engineer → R&D (only if the engineer could not solve it) → call back → close.
    None for a call that found no problem: the core closes it."""
    last = answer.routing[-1] if answer.routing else None
    if last is None:
        if not answer.problem_reported:
            return None
        return FollowUpRouting("engineer", _("a problem found on the call goes to the service or training engineer"))
    if last == "engineer" and answer.problem_reported:
        return FollowUpRouting("rnd", _("the engineer could not solve it: a work contact letter goes to R&D"))
    if last in ("engineer", "rnd"):
        return FollowUpRouting("call_back", _("the problem was dealt with: call the customer back"))
    return FollowUpRouting("close", _("the customer was called back"))

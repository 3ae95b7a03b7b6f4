"""Service requests: repairs, installations, complaints and the rest, with their state and timeline.

Requests sit below complaints and follow-ups: a request's move is published (:mod:`.requests.events`) and the
two subscribe here, once, whichever service module is imported first.
"""

from aftersales.service.complaints.services import refuse_unanswered_end
from aftersales.service.followups.services import on_request_moved
from aftersales.service.requests import events

events.subscribe(moving=refuse_unanswered_end, moved=on_request_moved)

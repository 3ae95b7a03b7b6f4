"""A request's move reaches complaints and follow-ups whichever service module a process imports first."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize("first", ["aftersales.service.requests.services", "aftersales.service.requests.events",
                                   "aftersales.service.complaints.services", "aftersales.service.clocks.services"])
def test_complaints_and_followups_subscribe_to_moves_in_a_fresh_process(first):
    probe = (f"import {first}\n"
             "from aftersales.service.requests import events\n"
             "print(sorted(f.__module__ + '.' + f.__name__ for f in events._moving),"
             " sorted(f.__module__ + '.' + f.__name__ for f in events._moved))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == ("['aftersales.service.complaints.services.refuse_unanswered_end'] "
                           "['aftersales.service.followups.services.on_request_moved']")

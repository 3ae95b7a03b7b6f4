"""Spare parts: the stock per location, its append-only ledger, jobs' reservations, buffers and reorders.

Importing the package has quotes (service requests' and bookings') charge the parts a job holds
(:func:`aftersales.service.quotes.price_list.read_held_parts_from`): the service domain, below, never imports it.
"""

from aftersales.parts.reservations import held_parts
from aftersales.service.quotes.price_list import read_held_parts_from

read_held_parts_from(held_parts)

"""Technician dispatch in the staff console: the dispatcher's board (a day's visits by technician, the unplanned
ones with the suggested technicians, fixing tomorrow's plan), the technicians, and the technician's day sheet
(a phone page: route, arrive, start, finish with parts used and the customer's signature)."""

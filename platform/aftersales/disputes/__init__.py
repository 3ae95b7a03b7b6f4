"""Disputes between a customer and a marketplace provider (about a booking) or the company (about a service
request or a warranty claim): opened by the customer, answered by the other side, mediated by staff, ruled by
customer service (seed 003 Yizhongyi; the grounds include seed 002 Carmax's marketplace terms)."""

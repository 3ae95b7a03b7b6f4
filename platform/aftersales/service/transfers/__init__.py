"""A unit's journey between service points (waybill, carrier, who sent and received it), and missing units."""

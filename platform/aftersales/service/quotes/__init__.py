"""Quotes on service requests: the tenant's own visits and paid repairs, priced by the vertical, accepted by the
customer, and capping what the repair can be charged; and the tenant's parts price list every quote uses."""

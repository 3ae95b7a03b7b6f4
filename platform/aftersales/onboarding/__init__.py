"""Onboarding: a company's manifest validated against its plugins and applied (its tenant, its service
catalogue), and the tenancy endpoints (the operator's directory and onboarding, a tenant's view of itself).

Above the domains whose data a new tenant starts with; :mod:`aftersales.tenancy` (the tenant record, the tenant
a request acts for, the directory) is below everything.
"""

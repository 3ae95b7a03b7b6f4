"""The scope vocabulary of access tokens, and which scopes each staff role carries.

Routes are guarded by scope (:mod:`aftersales.identity.guards`); staff tokens get the scopes of their roles,
API-client tokens the scopes the tenant admin granted the client (and asked for in the token request).
"""

from __future__ import annotations

OPERATOR = "platform:operate"

TENANT_READ = "tenant:read"
STAFF_READ = "staff:read"
STAFF_WRITE = "staff:write"
CLIENTS_WRITE = "clients:write"
SERIALS_READ = "serials:read"
CATALOG_WRITE = "catalog:write"
SERIALS_WRITE = "serials:write"
REGISTRATIONS_READ = "registrations:read"
"""Registrations and claims, with the owner's name and contact details."""
REGISTRATIONS_WRITE = "registrations:write"
CLAIMS_WRITE = "claims:write"
REQUESTS_READ = "requests:read"
REQUESTS_WRITE = "requests:write"
SERVICE_POINTS_WRITE = "service_points:write"
"""Add, move or retire the tenant's service points (admins)."""
NOTIFICATIONS_MANAGE = "notifications:manage"
"""Webhook endpoints, and the outbox: what the tenant sends to whom, and re-sending what failed."""

MARKETPLACE_READ = "marketplace:read"
"""Every provider, offering, booking, quote and rating of the tenant (staff)."""
MARKETPLACE_MANAGE = "marketplace:manage"
"""Add, authorise and suspend providers, edit the service catalogue and any provider's schedule, review ratings."""
BOOKINGS_WRITE = "bookings:write"
"""Book, reschedule and cancel on a customer's behalf (the call centre)."""
PROVIDER_WORK = "provider:work"
"""A provider user's own work: its profile, schedule and bookings, quotes, change requests, work done, and
rating its customers. Only with the token's ``provider_id``; never another provider's rows."""
CUSTOMER_SELF = "customer:self"
"""A customer's own business: search, book, accept quotes, approve extra work, rate. Only with ``customer_id``."""
DISPUTES_READ = "disputes:read"
"""Every dispute of the tenant, with the mediators' notes (staff)."""
DISPUTES_MEDIATE = "disputes:mediate"
"""Open a dispute on a customer's behalf, answer for the company, mediate: notes, settlement proposals."""
DISPUTES_RULE = "disputes:rule"
"""Decide a dispute with a ruling and its reason (customer service: seed 003's final say)."""
CUSTOMERS_ACT = "customers:act"
"""Issue a customer token for one of the tenant's customers (the tenant's own app, once it has signed them in)."""

PAYMENTS_READ = "payments:read"
"""Every payment, wallet, ledger entry and refund of the tenant (staff)."""
PAYMENTS_WRITE = "payments:write"
"""Record offline payments (cash, bank transfer, cheques cleared or bounced), capture, top up wallets (finance)."""
REFUNDS_WRITE = "refunds:write"
"""Ask for a refund on a customer's behalf and record their identity and IBAN (the call centre, finance)."""
REFUNDS_APPROVE = "refunds:approve"
"""Approve, reject and execute refunds the policy sends to finance."""
PAYMENTS_CONFIGURE = "payments:configure"
"""The tenant's payment provider credentials (Stripe keys, webhook secret)."""

FULFILMENT_READ = "fulfilment:read"
"""Orders' fulfilment (warehouse, dispatch, delivery, installation, delivery changes, festival cards) and the
warehouses."""
FULFILMENT_WRITE = "fulfilment:write"
"""Allocate, dispatch and deliver orders, book their installation, ask delivery changes for customers, record
festival cards promised at sale."""
WAREHOUSES_MANAGE = "warehouses:manage"
"""Add the tenant's warehouses (admins)."""
INSTALLATIONS_CONFIRM = "installations:confirm"
"""Confirm an order's installation with the invoice's date (technicians)."""

STOCK_READ = "stock:read"
"""Stock locations, stock per location, the stock ledger, reservations, minimums and the reorder list."""
STOCK_WRITE = "stock:write"
"""Receive, transfer, scrap, adjust and import stock; reserve parts for a job, issue and release them; add
locations and set minimums; keep the parts catalogue's entries of stock."""

DISPATCH_READ = "dispatch:read"
"""The technicians, their authorisations, visits, the dispatcher's suggestions and any technician's day sheet."""
DISPATCH_PLAN = "dispatch:plan"
"""Add and edit technicians and their authorisations, take on-site visits, plan them to technicians and fix a
day's plan (dispatchers: agents, admins)."""
DISPATCH_OWN = "dispatch:own"
"""A technician's own day sheet and visits: arrival, start, finish with parts used and the customer's signature.
Only the technician the token's staff user (or provider) is; never another's visits."""

TENANT_SCOPES = frozenset({
    TENANT_READ, STAFF_READ, STAFF_WRITE, CLIENTS_WRITE, SERIALS_READ, CATALOG_WRITE, SERIALS_WRITE,
    REGISTRATIONS_READ, REGISTRATIONS_WRITE, CLAIMS_WRITE, REQUESTS_READ, REQUESTS_WRITE, SERVICE_POINTS_WRITE,
    NOTIFICATIONS_MANAGE, MARKETPLACE_READ, MARKETPLACE_MANAGE, BOOKINGS_WRITE, CUSTOMERS_ACT,
    DISPUTES_READ, DISPUTES_MEDIATE, DISPUTES_RULE,
    PAYMENTS_READ, PAYMENTS_WRITE, REFUNDS_WRITE, REFUNDS_APPROVE, PAYMENTS_CONFIGURE,
    FULFILMENT_READ, FULFILMENT_WRITE, WAREHOUSES_MANAGE, INSTALLATIONS_CONFIRM,
    STOCK_READ, STOCK_WRITE,
    DISPATCH_READ, DISPATCH_PLAN,
})
"""Everything a tenant admin may do or grant to an API client (``provider:work`` and ``customer:self`` are
carried by provider and customer tokens, which name whose rows they reach)."""

CUSTOMER_SCOPES = frozenset({CUSTOMER_SELF})
"""The scopes of a customer token."""

ROLES = ("admin", "agent", "technician", "finance", "customer_service", "provider")

ROLE_SCOPES: dict[str, frozenset[str]] = {
    "admin": TENANT_SCOPES,
    "agent": frozenset({TENANT_READ, STAFF_READ, SERIALS_READ, REGISTRATIONS_READ, REGISTRATIONS_WRITE,
                        CLAIMS_WRITE, REQUESTS_READ, REQUESTS_WRITE, MARKETPLACE_READ, BOOKINGS_WRITE,
                        PAYMENTS_READ, REFUNDS_WRITE, DISPUTES_READ, DISPUTES_MEDIATE, FULFILMENT_READ,
                        FULFILMENT_WRITE, STOCK_READ, DISPATCH_READ, DISPATCH_PLAN}),
    "technician": frozenset({TENANT_READ, SERIALS_READ, REGISTRATIONS_READ, CLAIMS_WRITE, REQUESTS_READ,
                             REQUESTS_WRITE, FULFILMENT_READ, INSTALLATIONS_CONFIRM, STOCK_READ, STOCK_WRITE,
                             DISPATCH_OWN}),
    "finance": frozenset({TENANT_READ, STAFF_READ, REQUESTS_READ, MARKETPLACE_READ, PAYMENTS_READ, PAYMENTS_WRITE,
                          REFUNDS_WRITE, REFUNDS_APPROVE, FULFILMENT_READ, STOCK_READ}),
    "customer_service": frozenset({TENANT_READ, STAFF_READ, REGISTRATIONS_READ, REQUESTS_READ, MARKETPLACE_READ,
                                   DISPUTES_READ, DISPUTES_MEDIATE, DISPUTES_RULE}),
    "provider": frozenset({PROVIDER_WORK, DISPATCH_OWN}),
}


def scopes_for_roles(roles: list[str] | tuple[str, ...]) -> frozenset[str]:
    """The union of the scopes of ``roles``."""
    granted: frozenset[str] = frozenset()
    for role in roles:
        granted |= ROLE_SCOPES[role]
    return granted

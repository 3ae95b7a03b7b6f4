"""Demo data for ``make demo``: every manifest in ``tenants/``, an operator, an admin per tenant, and a few
units per tenant (one registered), and the printout that says where to click.

Passwords are generated on each run and written to ``var/demo-credentials.txt``; contact data is invented.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from aftersales.accounts.services import create_operator, create_staff
from aftersales.db.base import utcnow
from aftersales.demo.account import seed_demo_account
from aftersales.demo.console import seed_demo_console
from aftersales.demo.dispatch import seed_demo_dispatch
from aftersales.demo.disputes import seed_demo_disputes
from aftersales.demo.insight import seed_demo_insight
from aftersales.demo.marketplace import seed_demo_marketplace
from aftersales.demo.orders import seed_demo_orders
from aftersales.demo.pay import seed_demo_pay
from aftersales.demo.service import seed_demo_service
from aftersales.demo.units import seed_demo_units
from aftersales.demo.workshop import seed_demo_workshop
from aftersales.identity.models import Operator, StaffUser
from aftersales.identity.passwords import hash_password
from aftersales.onboarding.manifest import read_manifest_file
from aftersales.onboarding.services import onboard
from aftersales.onboarding.vertical_switch import switch_vertical
from aftersales.runtime import Runtime
from aftersales.tenancy.models import Tenant

DEMO_OPERATOR = "operator@aftersales-demo.com"

PORTAL_PAGES = [
    ("/", "warranty check by serial (no account needed; try a demo unit below)"),
    ("/sign-in", "customer sign-in with a one-time code (customer@{slug}-demo.com owns the first demo unit)"),
    ("/my/devices", "my devices and their coverage; /my/devices/register registers a purchase"),
    ("/my/requests", "my service requests and their timelines; /my/requests/new opens one"),
    ("/my/complaints", "complaints"),
    ("/book", "book a provider (marketplace: carmax); /my/bookings for quotes, extra work, rating, paying"),
    ("/my/payments", "payments; /my/refunds asks for a refund"),
    ("/my/orders", "my orders (entekhab: awaiting payment with its pro-forma, dispatched, installed)"),
    ("/my/disputes", "my disputes (carmax, yizhongyi: one in mediation, one ruled)"),
]
CONSOLE_PAGES = [
    ("/console/", "dashboard"), ("/console/requests", "request queue"), ("/console/customers", "customer files"),
    ("/console/imports", "serial imports"), ("/console/clones", "clone alerts"), ("/console/recalls", "recalls"),
    ("/console/refunds", "refund approvals"), ("/console/providers", "providers and ratings"),
    ("/console/orders", "order desk (entekhab: an order in every state)"),
    ("/console/orders/follow-up", "orders unfunded over a month"), ("/console/orders/escalations", "cheque escalations"),
    ("/console/disputes", "disputes under way (carmax, yizhongyi); ?state=all shows the ruled one"),
    ("/console/stock", "stock by location (mehr: the workshop's charging port below its minimum; yizhongyi: a van)"),
    ("/console/stock/reorder", "reorder list (mehr); /console/stock/returns: the RMA batch sent to the supplier"),
    ("/console/requests", "mehr: the demo unit's request is on the way to the central workshop (/my/requests too)"),
    ("/console/dispatch?day=", "dispatcher's board (yizhongyi: the next working day's visits, one unplanned)"),
    ("/console/technicians", "technicians (yizhongyi: skills, hours; entekhab: authorisations per category)"),
]
OPS_PAGES = [("/ops/", "tenants, their plugins and health"), ("/ops/tenants/new", "onboard a tenant")]
"""Where to click (docs/pages/README.md has every page); printed by ``make demo``."""


async def _follow_a_vertical_move(runtime: Runtime, raw: dict[str, Any]) -> None:
    """A demo tenant whose manifest now names another vertical (Golden Laser moved to industrial in issue 17) is
    switched as an operator would switch it, so its open requests run the new vertical's clocks; onboarding alone
    would leave them as they were."""
    async with runtime.db.platform_session() as session:
        stored = await session.scalar(select(Tenant.vertical).where(Tenant.slug == raw.get("slug")))
    new = raw.get("vertical")
    if stored is None or stored == new or not isinstance(new, str):
        return
    await switch_vertical(runtime.db, runtime.plugins, raw["slug"], new, raw.get("settings", {}).get(new, {}),
                          now=utcnow(), dry_run=False)


def where_to_click(base: str, slugs: list[str]) -> list[str]:
    """The printout's page map: the portal and console of every tenant, and the operator console."""
    first = slugs[0] if slugs else "{slug}"
    lines = ["pages (every tenant also at {slug}.<base domain>; ?lang=en|fa|zh|ka switches language):",
             "  customer portal of each tenant: " + "  ".join(f"{base}/t/{slug}/" for slug in slugs)]
    lines += [f"    /t/{{slug}}{path:<19} {what}" for path, what in PORTAL_PAGES]
    lines.append(f"  staff console: {base}/t/{{slug}}/console/sign-in as admin@{{slug}}-demo.com, e.g. "
                 f"{base}/t/{first}/console/sign-in")
    lines += [f"    /t/{{slug}}{path:<19} {what}" for path, what in CONSOLE_PAGES]
    lines.append(f"  operator console: {base}/ops/sign-in as {DEMO_OPERATOR}")
    lines += [f"    {path:<28} {what}" for path, what in OPS_PAGES]
    return lines


async def seed_demo(runtime: Runtime, *, password: str) -> Path:
    """Onboard the demo tenants and (re)set the demo sign-ins to ``password``; returns the credentials file."""
    settings = runtime.settings
    base = settings.base_url.rstrip("/")
    lines = [f"aftersales demo — {base}", f"API documentation: {base}/schema", ""]
    manifests = [read_manifest_file(path) for path in sorted(settings.tenants_dir.glob("*.toml"))]
    for raw in manifests:
        await _follow_a_vertical_move(runtime, raw)
    async with runtime.db.transaction(None) as session:
        tenants = [(await onboard(session, runtime.plugins, raw))[0] for raw in manifests]
        operator = await session.scalar(select(Operator).where(Operator.email == DEMO_OPERATOR))
        if operator is None:
            await create_operator(session, email=DEMO_OPERATOR, name="Demo Operator", password=password)
        else:
            operator.password_hash = hash_password(password)
    lines.append(f"operator  {DEMO_OPERATOR}  POST {base}/operator/login")
    for tenant in tenants:
        email = f"admin@{tenant.slug}-demo.com"
        async with runtime.db.transaction(tenant.id) as session:
            staff = await session.scalar(select(StaffUser).where(StaffUser.email == email))
            if staff is None:
                await create_staff(session, email=email, name=f"{tenant.name} admin", roles=["admin"], password=password)
            else:
                staff.password_hash, staff.failed_logins, staff.locked_until = hash_password(password), 0, None
        lines.append(f"{tenant.slug:<13} {email:<34} POST {base}/t/{tenant.slug}/auth/login")
    lines += ["", f"password for all of the above: {password}", "", "demo units (the first is registered):"]
    for tenant in tenants:
        serials = await seed_demo_units(runtime, tenant)
        await seed_demo_service(runtime, tenant)
        await seed_demo_insight(runtime, tenant)
        await seed_demo_account(runtime, tenant)
        await seed_demo_marketplace(runtime, tenant)
        await seed_demo_pay(runtime, tenant)
        await seed_demo_console(runtime, tenant)
        await seed_demo_orders(runtime, tenant)
        await seed_demo_disputes(runtime, tenant)
        await seed_demo_workshop(runtime, tenant)
        await seed_demo_dispatch(runtime, tenant, password=password)
        lines.append(f"{tenant.slug:<13} {'  '.join(serials)}")
    lines.append("technicians (same password; their day sheet: /t/{slug}/console/technician/day?day=<next working "
                 "day>): tech-a, tech-b, tech-c @yizhongyi-demo.com; tech-a to tech-d @entekhab-demo.com")
    lines.append(f"try: curl -X POST {base}/public/t/mehr/warranty/check -H 'content-type: application/json' "
                 "-d '{\"serial\": \"<a serial above>\"}'")
    lines += ["", *where_to_click(base, [tenant.slug for tenant in tenants])]
    path = settings.data_dir / "demo-credentials.txt"
    path.write_text("\n".join(lines) + "\n")
    path.chmod(0o600)
    return path

"""schemathesis against ``/schema``: every operation, with a token of each role, on SQLite and PostgreSQL.

A bounded run: per operation and role, :data:`EXAMPLES` cases generated from the OpenAPI document (derandomised,
so a run is reproducible; no shrinking, so a failure costs no extra time), sent in-process to the app over ASGI
and checked with schemathesis's server-error, status-code, content-type and response-schema conformance checks.
Every failure is collected, not just the first, and the test fails listing them all. Each run prints (``-s``) and
records (``record_property``) its counts: operations, cases, seconds, answers by class (docs/testing.md).

The tenant is seeded with a unit, a provider, a customer with a booking and a payment; a third of the cases name
those records in their path parameters, so that they get past the 404 a generated identifier meets.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections import Counter
from dataclasses import replace
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.python.asgi import shutdown_lifespans
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from aftersales.app import create_app
from aftersales.runtime import build_runtime
from support.api_contract import not_recorded

EXAMPLES = int(os.environ.get("AFTERSALES_SCHEMATHESIS_EXAMPLES", "6"))
"""Cases per operation and role. 6 keeps the ten runs at ~3 minutes of CPU; raise it for a deeper search."""
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
ROLES = ("admin", "agent", "customer", "provider", "operator")

async def _seed(runtime: Any) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """A tenant with a unit, a provider, a customer with a booking and a payment: a bearer header for each role,
    and the identifiers of those records by path parameter name, so that cases reach past a 404."""
    from aftersales.accounts.services import create_operator, create_staff
    from aftersales.identity.models import Customer
    from aftersales.identity.services import customer_principal, operator_principal, staff_principal
    from aftersales.onboarding.services import onboard
    from conftest import minimal_manifest
    from support.marketplace import add_booking, add_provider
    from support.payments import add_payment
    from support.warranty import add_unit, imei

    async with runtime.db.transaction(None) as session:
        tenant, _ = await onboard(session, runtime.plugins, minimal_manifest("alpha"))
        operator = await create_operator(session, email="ops@platform-demo.com", name="Ops",
                                         password=os.urandom(12).hex())
        principals = {"operator": operator_principal(operator)}
    provider = await add_provider(runtime, tenant)
    await add_unit(runtime, tenant, imei(1))
    async with runtime.db.transaction(tenant.id) as session:
        for role in ("admin", "agent"):
            staff = await create_staff(session, email=f"{role}@alpha-demo.com", name=role, roles=[role],
                                       password=None)
            principals[role] = staff_principal(staff)
        staff = await create_staff(session, email="provider@alpha-demo.com", name="Provider", roles=["provider"],
                                   password=None, provider_id=provider.provider_id)
        principals["provider"] = staff_principal(staff)
        customer = Customer(name="Test Customer", email="customer@example.com")
        session.add(customer)
        await session.flush()
        principals["customer"] = customer_principal(customer)
    booking_id = await add_booking(runtime, tenant, provider, customer.id)
    payment_id = await add_payment(runtime, tenant, customer.id, 50_00)
    await runtime.db.dispose()  # the app runs in schemathesis's own event loop: no connection may cross over
    known = {"tenant_slug": "alpha", "slug": "alpha", "tenant_id": tenant.id, "provider_id": provider.provider_id,
             "offering_id": provider.offering_id, "location_id": provider.location_id, "customer_id": customer.id,
             "booking_id": booking_id, "payment_id": payment_id, "serial": imei(1), "sku": "PH-1",
             "code": "oil_change"}
    headers = {role: {"Authorization": f"Bearer {runtime.tokens.issue(p)}"} for role, p in principals.items()}
    return headers, {name: str(value) for name, value in known.items()}


def _run_operation(operation: Any, headers: dict[str, str], known: dict[str, str], failures: dict[str, str],
                   answers: Counter[str]) -> int:
    """Send :data:`EXAMPLES` cases of ``operation`` (valid ones naming the seeded records, valid ones and invalid
    ones naming anything); note each failing check once. Returns the cases sent."""
    sent = 0
    names = {parameter.name for parameter in operation.path_parameters}
    strategy = st.one_of(
        operation.as_strategy(path_parameters={n: v for n, v in known.items() if n in names}),
        operation.as_strategy(generation_mode=schemathesis.GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=schemathesis.GenerationMode.NEGATIVE),
    )

    @given(case=strategy)
    @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    def run(case: Any) -> None:
        nonlocal sent
        sent += 1
        response = case.call(headers=headers)
        answers[f"{response.status_code // 100}xx"] += 1
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (Failure, FailureGroup) as failure:  # every check failure is collected
            failures.setdefault(operation.label, f"{str(failure)[:1500]}\n  reproduce: {case.as_curl_command()}")

    run()
    return sent


@pytest.mark.parametrize("role", ROLES)
def test_schemathesis_finds_no_failure(backend, base_settings, plugins, role, record_property):
    settings_ = replace(base_settings, database_url=backend.app_url, migration_database_url=backend.owner_url,
                        embedded_worker=False)
    runtime = build_runtime(settings_, plugins=plugins)
    every_header, known = asyncio.run(_seed(runtime))
    headers = every_header[role]
    app = create_app(runtime)
    started = time.monotonic()
    try:
        schema = schemathesis.openapi.from_asgi("/schema/openapi.json", app)
        failures: dict[str, str] = {}
        operations = cases = 0
        answers: Counter[str] = Counter()
        with not_recorded():
            for result in schema.get_all_operations():
                operation = result.ok()
                operations += 1
                cases += _run_operation(operation, headers, known, failures, answers)
    finally:
        shutdown_lifespans()  # closes the runtime (the app's on_shutdown) in the loop that opened its connections
    took = time.monotonic() - started
    record_property("schemathesis", {"operations": operations, "cases": cases, "seconds": round(took, 1),
                                     "answers": dict(answers)})
    print(f"schemathesis {backend.name} {role}: {operations} operations, {cases} cases, {took:.1f} s, "
          f"answers {dict(sorted(answers.items()))}")
    assert not failures, f"{len(failures)} operation(s) fail:\n\n" + "\n\n".join(
        f"{label}: {text}" for label, text in sorted(failures.items()))

"""Faults are isolated and attributed: a plugin that raises or answers the wrong type fails its tenant's call
with a 503 naming the error id (logged with plugin, hook and tenant), a disabled vertical answers 503 with the
reason, a misspelt hook or settings key is reported with a suggestion, a default that breaks its own rule
disables its plugin; and every time, a tenant on another vertical keeps working."""

from __future__ import annotations

import importlib.metadata
import logging
import uuid

import pytest
from pydantic import Field

from aftersales.contract.hookspecs import hookimpl
from aftersales.contract.money import Money
from aftersales.contract.testing.factories import make_job_facts
from aftersales.contract.values import (
    BusinessCalendarInfo,
    PluginSettings,
    Quote,
    QuoteLine,
    RequestFacts,
    ServiceEvent,
    TenantContext,
    VerticalInfo,
)
from aftersales.db.base import utcnow
from aftersales.errors import InvalidInput, PluginFailed, VerticalUnavailable
from aftersales.identity.principals import Principal
from aftersales.identity.scopes import OPERATOR
from aftersales.plugins import build_plugin_registry
from aftersales.tenancy.models import Tenant
from aftersales.worker import run_once
from conftest import minimal_manifest
from support.pages import post_form

SERIAL = "490154203237518"


def _info(name: str, settings: type[PluginSettings] = PluginSettings, **extra) -> VerticalInfo:
    return VerticalInfo(name=name, title=name.title(), version="1", description="a faulty vertical",
                        settings_schema=settings, **extra)


class Raiser:
    """A vertical whose serial rule raises."""

    @hookimpl
    def aftersales_vertical_info(self):
        return _info("raiser")

    @hookimpl
    def aftersales_validate_serial(self, tenant, serial, product):
        return 1 / 0


class Liar:
    """A vertical answering types its hooks do not allow."""

    @hookimpl
    def aftersales_vertical_info(self):
        return _info("liar")

    @hookimpl
    def aftersales_validate_serial(self, tenant, serial, product):
        return "looks fine to me"

    @hookimpl
    def aftersales_sla_targets(self, tenant, request):
        return ["48 hours"]

    @hookimpl
    def aftersales_followups(self, tenant, event):
        return ["call them"]

    @hookimpl
    def aftersales_quote(self, tenant, job):
        return Quote(lines=(QuoteLine("labour", "labour", Money(5_000, "USD")),))


class TooNew:
    @hookimpl
    def aftersales_vertical_info(self):
        return _info("toonew", requires_core=">=99")


@pytest.fixture
def plugins():
    """The installed plugins, two faulty verticals, and one that failed to load."""
    return build_plugin_registry(extra_plugins=[("raiser", Raiser()), ("liar", Liar()), ("toonew", TooNew())])


def _context(registry, vertical: str) -> TenantContext:
    return TenantContext(
        id=uuid.uuid4(), slug=f"{vertical}-co", vertical=vertical, country="DE", currency="EUR",
        time_zone="Europe/Berlin", locales=("en",), calendar=BusinessCalendarInfo("DE", (6, 7), ("09:00", "17:00")),
        settings=registry.info(vertical).settings_schema(),
    )


# -- one place every hook call goes through ----------------------------------------------------------------

def test_an_exception_is_attributed_to_the_plugin_that_raised_and_logged_with_an_error_id(plugins, caplog):
    tenant = _context(plugins, "raiser")
    with caplog.at_level(logging.ERROR, "aftersales.plugins"), pytest.raises(PluginFailed) as failed:
        plugins.hooks_for(["raiser"]).aftersales_validate_serial(tenant=tenant, serial=SERIAL, product=None)
    error = failed.value
    assert (error.plugin, error.hook, error.tenant) == ("raiser", "aftersales_validate_serial", "raiser-co")
    assert error.reason == "raised ZeroDivisionError: division by zero"
    assert error.detail == f"the raiser rules are failing; the error was logged as {error.error_id}"
    [line] = [r for r in caplog.records if r.name == "aftersales.plugins"]
    assert (line.error_id, line.plugin, line.hook, line.tenant) == (
        error.error_id, "raiser", "aftersales_validate_serial", "raiser-co")
    assert "\n" not in line.getMessage()


def test_a_wrong_answer_type_is_attributed_to_the_plugin_that_answered(plugins):
    tenant = _context(plugins, "liar")
    hooks = plugins.hooks_for(["liar"])
    with pytest.raises(PluginFailed) as serial:
        hooks.aftersales_validate_serial(tenant=tenant, serial=SERIAL, product=None)
    assert (serial.value.plugin, serial.value.reason) == ("liar", "answered a str, expected SerialCheck | None")
    request = RequestFacts(kind="repair", channel="web", opened_at=None)  # type: ignore[arg-type]
    with pytest.raises(PluginFailed) as clocks:
        hooks.aftersales_sla_targets(tenant=tenant, request=request)
    assert clocks.value.plugin == "liar"
    assert clocks.value.reason == "answered a list holding str, expected list[SlaTarget] | None"


def test_a_wrong_element_among_every_plugins_answers_names_the_plugin_not_the_core(plugins):
    """``aftersales_followups`` is answered by every plugin: the core's good plans do not hide the liar's."""
    event = ServiceEvent(kind="repaired", occurred_at=None)  # type: ignore[arg-type]
    with pytest.raises(PluginFailed) as failed:
        plugins.hooks_for(["liar"]).aftersales_followups(tenant=_context(plugins, "liar"), event=event)
    assert failed.value.plugin == "liar"


def test_a_quote_in_another_currency_than_the_job_is_a_failing_plugin_not_a_500(plugins):
    """The right type, but the core could not total it: the guard's answer rule names the plugin."""
    job = make_job_facts(labour_price=Money(6_000, "EUR"))
    with pytest.raises(PluginFailed) as failed:
        plugins.hooks_for(["liar"]).aftersales_quote(tenant=_context(plugins, "liar"), job=job)
    assert (failed.value.plugin, failed.value.hook) == ("liar", "aftersales_quote")
    assert failed.value.reason == "answered a quote with lines in USD, not the job's EUR"
    quote = plugins.hooks_for(["electronics"]).aftersales_quote(tenant=_context(plugins, "electronics"), job=job)
    assert quote.total("EUR") == Money(6_000, "EUR"), "a quote in the job's currency passes"


def test_good_answers_pass_the_guard_unchanged(plugins):
    tenant = _context(plugins, "electronics")
    check = plugins.hooks_for(["electronics"]).aftersales_validate_serial(tenant=tenant, serial=SERIAL, product=None)
    assert check.valid and check.normalized == SERIAL and check.scheme == "imei"


@pytest.mark.parametrize("vertical", ["raiser", "liar"])
async def test_the_api_answers_503_naming_the_error_id_and_another_vertical_keeps_working(
        vertical, client, make_tenant, staff_token, caplog):
    faulty = await make_tenant("faulty", vertical=vertical)
    healthy = await make_tenant("healthy", vertical="electronics")
    with caplog.at_level(logging.ERROR, "aftersales.plugins"):
        response = await client.post("/api/v1/serials/validate", json={"serial": SERIAL},
                                      headers=await staff_token(faulty, "agent"))
    assert response.status_code == 503
    problem = response.json()
    assert problem["title"] == "Plugin failed"
    assert problem["detail"].startswith(f"the {vertical} rules are failing")
    assert problem["code"] == "plugin.failed"
    assert problem["error_id"] in problem["detail"]
    assert problem["params"]["hook"] == "aftersales_validate_serial"
    assert [r.error_id for r in caplog.records if r.name == "aftersales.plugins"] == [problem["error_id"]]
    response = await client.post("/api/v1/serials/validate", json={"serial": SERIAL},
                                 headers=await staff_token(healthy, "agent"))
    assert response.status_code == 200 and response.json()["valid"]


async def test_a_page_answers_a_translated_503_page_with_the_error_id(pages, make_tenant, caplog):
    await make_tenant("faulty", vertical="raiser")
    healthy = await make_tenant("healthy", vertical="electronics")
    with caplog.at_level(logging.ERROR, "aftersales.plugins"):
        response = await post_form(pages, "/t/faulty/check", {"serial": SERIAL}, headers={"Accept-Language": "fa"})
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("text/html")
    [logged] = [r for r in caplog.records if r.name == "aftersales.plugins"]
    assert f"این خطا با شناسهٔ {logged.error_id} ثبت شد" in response.text
    response = await post_form(pages, f"/t/{healthy.slug}/check", {"serial": SERIAL})
    assert response.status_code == 200


# -- a disabled vertical ------------------------------------------------------------------------------------

async def _switch_vertical(runtime, tenant, vertical: str) -> None:
    async with runtime.db.transaction(None) as session:
        record = await session.get(Tenant, tenant.id)
        record.vertical = vertical


@pytest.mark.parametrize(("vertical", "reason"), [
    ("toonew", "requires aftersales >=99"), ("gone", "the plugin is not installed")])
async def test_a_tenant_whose_vertical_is_disabled_gets_503_with_the_reason(
        vertical, reason, runtime, client, make_tenant, staff_token):
    disabled = await make_tenant("disabled")
    healthy = await make_tenant("healthy")
    headers = await staff_token(disabled, "agent")
    await _switch_vertical(runtime, disabled, vertical)
    response = await client.post("/api/v1/serials/validate", json={"serial": SERIAL}, headers=headers)
    assert response.status_code == 503
    problem = response.json()
    assert problem["title"] == "Vertical unavailable"
    assert problem["code"] == "plugin.unavailable"
    assert reason in problem["detail"] and problem["params"]["vertical"] == vertical
    own = await client.get("/api/v1/tenant", headers=await staff_token(disabled, "admin"))
    assert own.status_code == 200 and reason in own.json()["vertical_unavailable"]
    response = await client.post("/api/v1/serials/validate", json={"serial": SERIAL},
                                 headers=await staff_token(healthy, "agent"))
    assert response.status_code == 200
    assert (await client.get("/api/v1/tenant", headers=await staff_token(healthy, "admin"))).json()[
        "vertical_unavailable"] is None


async def test_staff_of_a_disabled_vertical_sign_in_and_read_why(runtime, pages, make_tenant):
    from aftersales.accounts.services import create_staff

    disabled = await make_tenant("disabled")
    async with runtime.db.transaction(disabled.id) as session:
        await create_staff(session, email="leila@disabled-demo.com", name="Leila", roles=["agent"],
                           password="correct horse battery")
    await _switch_vertical(runtime, disabled, "toonew")
    assert (await pages.get("/t/disabled/console/sign-in")).status_code == 200
    signed_in = await post_form(pages, "/t/disabled/console/sign-in", {
        "email": "leila@disabled-demo.com", "password": "correct horse battery", "next": "/t/disabled/console"})
    assert signed_in.status_code == 303 and signed_in.headers["location"] == "/t/disabled/console"
    response = await pages.get("/t/disabled/console")
    assert response.status_code == 503
    assert "The rules of this service (toonew) are switched off at the moment" in response.text
    assert "requires aftersales &gt;=99" in response.text


# -- misspelt hooks, unknown settings keys, defaults that break their own rules -------------------------------

class Misspelt:
    @hookimpl
    def aftersales_vertical_info(self):
        return _info("misspelt")

    @hookimpl
    def aftersales_sla_target(self, tenant, request):
        return []


class BadDefaultSettings(PluginSettings):
    warranty_months: int = Field(0, gt=0)


class BadDefault:
    @hookimpl
    def aftersales_vertical_info(self):
        return _info("baddefault", BadDefaultSettings)


def test_a_misspelt_hook_disables_its_plugin_with_a_suggestion_and_the_rest_serve():
    registry = build_plugin_registry(extra_plugins=[("misspelt", Misspelt())])
    assert registry.failures["misspelt"].reason == (
        "implements hooks the contract does not have: aftersales_sla_target (did you mean aftersales_sla_targets?)")
    tenant = _context(registry, "electronics")
    assert registry.hooks_for(["electronics"]).aftersales_validate_serial(tenant=tenant, serial=SERIAL, product=None)


def test_a_default_breaking_its_own_rule_disables_the_plugin_naming_the_field():
    registry = build_plugin_registry(extra_plugins=[("baddefault", BadDefault())])
    reason = registry.failures["baddefault"].reason
    assert "settings.baddefault.warranty_months: Input should be greater than 0" in reason
    assert "baddefault" not in registry.names and "electronics" in registry.names


def test_an_unknown_settings_key_is_refused_with_the_key_it_is_close_to(plugins):
    with pytest.raises(InvalidInput) as refused:
        plugins.validate_settings("electronics", {"warranty_month": 18}, field_prefix="settings.electronics")
    [error] = refused.value.errors
    assert error.field == "settings.electronics.warranty_month"
    assert error.reason.endswith("(did you mean warranty_months?)")


async def test_onboarding_with_a_misspelt_settings_key_names_it_with_a_suggestion(runtime, client):
    operator = runtime.tokens.issue(Principal(kind="operator", subject=str(uuid.uuid4()), tenant_id=None,
                                              scopes=frozenset({OPERATOR})))
    manifest = minimal_manifest("typo", settings={"electronics": {"warranty_month": 18}})
    response = await client.post("/api/v1/operator/tenants", json=manifest,
                                 headers={"Authorization": f"Bearer {operator}"})
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "settings.electronics.warranty_month"
    assert error["reason"] == "Extra inputs are not permitted (did you mean warranty_months?)"


def test_binding_a_disabled_vertical_keeps_the_tenant_but_refuses_every_hook(plugins):
    from aftersales.tenancy.current import bind_tenant

    record = Tenant(id=uuid.uuid4(), slug="off", name="Off", vertical="toonew", addons=[], country="DE",
                    currency="EUR", time_zone="Europe/Berlin", locales=["en"], weekend_days=[6, 7],
                    business_opens="09:00", business_closes="17:00", closures=[], hours_by_weekday={},
                    plugin_settings={}, status="active")
    current = bind_tenant(record, plugins)
    assert current.unavailable.startswith("requires aftersales >=99, this is ")
    with pytest.raises(VerticalUnavailable):
        current.hooks.aftersales_validate_serial(tenant=current.context, serial=SERIAL, product=None)


# -- /health, the plugins command, the worker ---------------------------------------------------------------

async def test_health_is_degraded_listing_each_failing_plugin_with_counts_and_slugs_for_operators_only(
        runtime, client, make_tenant):
    disabled, orphan = await make_tenant("disabled"), await make_tenant("orphan")
    await make_tenant("healthy")
    await _switch_vertical(runtime, disabled, "toonew")
    await _switch_vertical(runtime, orphan, "gone")
    public = (await client.get("/health")).json()
    assert public["status"] == "degraded" and public["database"] == "ok"
    failing = {f["name"]: f for f in public["failing_plugins"]}
    assert failing["toonew"] == {"name": "toonew", "reason": failing["toonew"]["reason"], "tenants_affected": 1}
    assert failing["toonew"]["reason"].startswith("requires aftersales >=99")
    assert failing["gone"] == {"name": "gone", "reason": "the plugin is not installed", "tenants_affected": 1}
    operator = runtime.tokens.issue(Principal(kind="operator", subject=str(uuid.uuid4()), tenant_id=None))
    seen = (await client.get("/health", headers={"Authorization": f"Bearer {operator}"})).json()
    assert {f["name"]: f["tenants"] for f in seen["failing_plugins"]} == {"toonew": ["disabled"], "gone": ["orphan"]}


async def test_health_is_degraded_by_a_failed_plugin_that_no_tenant_uses_yet(client, make_tenant):
    await make_tenant("healthy")
    body = (await client.get("/health")).json()
    assert body["status"] == "degraded"
    assert {f["name"]: f["tenants_affected"] for f in body["failing_plugins"]} == {"toonew": 0}


def test_the_plugins_command_exits_1_naming_each_disabled_plugin(monkeypatch):
    from click.testing import CliRunner

    from aftersales.cli.main import main
    from aftersales.plugins import discover_entry_points

    real = discover_entry_points()
    assert CliRunner().invoke(main, ["plugins"]).exit_code == 0
    ghost = importlib.metadata.EntryPoint(name="ghost", value="no_such_module_anywhere:plugin",
                                          group="aftersales.verticals")
    monkeypatch.setattr("aftersales.plugins.discover_entry_points", lambda: sorted([*real, ("ghost", ghost)]))
    result = CliRunner().invoke(main, ["plugins"])
    assert result.exit_code == 1
    assert "ghost          DISABLED  failed to import: ModuleNotFoundError" in result.output
    assert "error: 1 plugin(s) disabled: ghost" in result.output
    assert "electronics" in result.output


async def test_the_worker_logs_a_disabled_tenant_once_per_pass_without_a_traceback(runtime, make_tenant, caplog):
    disabled = await make_tenant("disabled")
    await make_tenant("healthy")
    await _switch_vertical(runtime, disabled, "toonew")
    with caplog.at_level(logging.INFO):
        for _ in range(2):
            await run_once(runtime, utcnow())
    lines = [r for r in caplog.records if r.name == "aftersales.worker"]
    assert [r.tenant for r in lines] == ["disabled", "disabled"]
    assert "vertical: toonew is unavailable: requires aftersales >=99" in lines[0].getMessage()
    assert not [r for r in caplog.records if r.exc_info]

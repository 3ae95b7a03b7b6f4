"""``/ops/tenants/new``: onboard a tenant from a form, or from a pasted TOML manifest, through the same service as
``aftersales onboard`` and ``POST /api/v1/operator/tenants`` (:func:`aftersales.onboarding.services.onboard`). A form
with mistakes comes back with each field's reason beside it (422) and nothing written; success opens the new
tenant's page. This page only creates: a slug that exists is refused (updates go through the manifest file)."""

from __future__ import annotations

import logging
import tomllib
import zoneinfo
from dataclasses import dataclass
from typing import Any

from babel import Locale
from babel.dates import get_day_names
from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from aftersales.errors import FieldError, InvalidInput, NotFound
from aftersales.http.context import RuntimeDep, SessionDep
from aftersales.onboarding import services as onboarding
from aftersales.onboarding.manifest import SUPPORTED_LOCALES
from aftersales.tenancy import directory
from aftersales.web.console.labels import CHANNELS
from aftersales.web.ops.onboarding_form import FORM, WEEKDAYS, OnboardForm, WeekForm, errors_by_field
from aftersales.web.ops.pages import operator_page
from aftersales.web.page_auth import ViewerDep
from aftersales.web.page_controller import OperatorPageController
from aftersales.web.portal.rendering import Page, render

logger = logging.getLogger("aftersales.ops")
MAX_TOML = 20_000
TIME_ZONES = sorted(zoneinfo.available_timezones())


@dataclass(frozen=True)
class Problem:
    """A field's problem: what the field expects, in the reader's language, and the validator's own reasons."""

    text: str
    details: tuple[str, ...] = ()


def _rules(page: Page) -> dict[str, str]:
    """What each field expects, said as the reason a value was refused."""
    _ = page.translations.gettext
    return {
        "slug": _("3 to 40 characters: lowercase Latin letters, digits and hyphens, starting with a letter and "
                  "not ending with a hyphen."),
        "name": _("The company's name, up to 200 characters."),
        "vertical": _("Choose one of the kinds of business this platform has a plugin for."),
        "locales": _("Offer at least one of the four languages."),
        "default_locale": _("The default language must be one of the languages offered."),
        "time_zone": _("An IANA time zone, such as Asia/Tehran."),
        "currency": _("An ISO 4217 currency code, such as IRR, CNY, GEL or USD."),
        "country": _("A two-letter country code with a public-holiday calendar, such as IR or GE."),
        "weekend_days": _("At most six weekend days."),
        "opens": _("A time of day, such as 08:00."),
        "closes": _("A time of day after the opening time."),
        **dict.fromkeys((f"hours_{day}" for day in WEEKDAYS),
                        _("Times of day, opening before closing, on a working day (not a weekend day).")),
        "around_the_clock_channels": _("Each channel once, from the list."),
        "display_name": _("The name customers see, up to 200 characters."),
        "logo_url": _("A link to the logo, up to 500 characters."),
        "primary_color": _("A colour written as # and six hexadecimal digits, such as #0f766e."),
        "accent_color": _("A colour written as # and six hexadecimal digits, such as #0f766e."),
        "support_email": _("An e-mail address customers can write to."),
        "support_phone": _("A phone number in international form: + and the country code first."),
        "custom_domain": _("A host name such as support.example.com that no other tenant uses."),
        FORM: _("The manifest is not accepted."),
    }


def _problems(page: Page, errors: list[FieldError]) -> dict[str, Problem]:
    rules = _rules(page)
    return {name: Problem(rules.get(name, rules[FORM]), tuple(reasons))
            for name, reasons in errors_by_field(errors).items()}


def _slug_taken(page: Page) -> Problem:
    return Problem(page.translations.gettext("A tenant with this slug already exists."))


def _choices(page: Page, runtime: Any) -> dict[str, Any]:
    days = get_day_names("wide", locale=page.locale)
    return {
        "verticals": [(name, runtime.plugins.info(name).title) for name in runtime.plugins.verticals()],
        "languages": [(code, Locale.parse(code).get_display_name(code)) for code in SUPPORTED_LOCALES],
        "weekdays": [(code, days[index]) for index, code in enumerate(WEEKDAYS)],
        "channels": [(code, page.translations.gettext(label)) for code, label in CHANNELS.items()],
        "time_zones": TIME_ZONES,
    }


def _show(page: Page, runtime: Any, *, status_code: int = 200, form: OnboardForm | None = None,
          errors: dict[str, Problem] | None = None, toml: str = "", toml_errors: list[str] | None = None) -> Template:
    return render(page, "ops/onboard.html", status_code=status_code, form=form or OnboardForm(),
                  errors=errors or {}, toml=toml, toml_errors=toml_errors or [], max_toml=MAX_TOML,
                  **_choices(page, runtime))


class OpsOnboardingController(OperatorPageController):
    """The onboarding form and its TOML alternative, for signed-in operators only."""

    @get("/ops/tenants/new")
    async def form(self, request: Request[Any, Any, Any], runtime: RuntimeDep, viewer: ViewerDep) -> Template:
        """The empty form (a few sensible defaults: English, Saturday–Sunday weekend, 09:00–17:00)."""
        return _show(operator_page(request, viewer), runtime)

    @post("/ops/tenants/new", status_code=303)
    async def onboard(self, request: Request[Any, Any, Any], runtime: RuntimeDep, platform_session: SessionDep,
                      viewer: ViewerDep) -> Template | Redirect:
        """Onboard the tenant the form describes, or show the form again with every field's reason."""
        page = operator_page(request, viewer)
        form = OnboardForm.posted(await request.form())
        if form.slug and await _exists(platform_session, form.slug):
            return _show(page, runtime, status_code=422, form=form, errors={"slug": _slug_taken(page)})
        try:
            tenant, _ = await onboarding.onboard(platform_session, runtime.plugins, form.manifest())
        except InvalidInput as exc:
            return _show(page, runtime, status_code=422, form=form, errors=_problems(page, exc.errors))
        return Redirect(f"/ops/tenants/{tenant.slug}", status_code=303)

    @post("/ops/tenants/new/toml", status_code=303)
    async def onboard_toml(self, request: Request[Any, Any, Any], runtime: RuntimeDep,
                           platform_session: SessionDep, viewer: ViewerDep) -> Template | Redirect:
        """Onboard the tenant a pasted TOML manifest describes (the format of ``tenants/*.toml``)."""
        page = operator_page(request, viewer)
        _ = page.translations.gettext
        text = str((await request.form()).get("manifest") or "")
        if not text.strip():
            return _show(page, runtime, status_code=422, toml=text, toml_errors=[_("Paste a manifest first.")])
        if len(text) > MAX_TOML:
            return _show(page, runtime, status_code=422, toml=text, toml_errors=[
                _("A manifest is at most %(count)s characters.") % {"count": page.fmt.number(MAX_TOML)}])
        try:
            raw = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            return _show(page, runtime, status_code=422, toml=text,
                         toml_errors=[_("This is not valid TOML: %(reason)s") % {"reason": str(exc)}])
        if isinstance(raw.get("slug"), str) and await _exists(platform_session, raw["slug"]):
            return _show(page, runtime, status_code=422, toml=text, toml_errors=[_slug_taken(page).text])
        try:
            tenant, _created = await onboarding.onboard(platform_session, runtime.plugins, raw)
        except InvalidInput as exc:
            return _show(page, runtime, status_code=422, toml=text,
                         toml_errors=[f"{e.field}: {e.reason}" for e in exc.errors] or [exc.detail])
        return Redirect(f"/ops/tenants/{tenant.slug}", status_code=303)


    @get("/ops/tenants/{slug:str}/week")
    async def week_form(self, request: Request[Any, Any, Any], slug: FromPath[str], runtime: RuntimeDep,
                        platform_session: SessionDep, viewer: ViewerDep) -> Template:
        """The tenant's working week to edit: weekend, usual hours, hours by weekday, channels open around the
        clock (its settings page for time; the rest of its manifest goes through ``aftersales onboard``)."""
        page = operator_page(request, viewer)
        tenant = await directory.get_tenant(platform_session, slug)
        return _show_week(page, tenant, WeekForm.stored(tenant))

    @post("/ops/tenants/{slug:str}/week", status_code=303)
    async def set_week(self, request: Request[Any, Any, Any], slug: FromPath[str], runtime: RuntimeDep,
                       platform_session: SessionDep, viewer: ViewerDep) -> Template | Redirect:
        """Change the tenant's working week, validated as its manifest is; or show the form again with every
        field's reason, nothing changed."""
        page = operator_page(request, viewer)
        form = WeekForm.posted(await request.form())
        try:
            tenant = await onboarding.set_week(platform_session, runtime.plugins, slug, form.week())
        except InvalidInput as exc:
            tenant = await directory.get_tenant(platform_session, slug)
            return _show_week(page, tenant, form, status_code=422, errors=_problems(page, exc.errors))
        logger.info("operator %s changed the working week of tenant %s", viewer.operator().subject, tenant.slug)
        return Redirect(f"/ops/tenants/{tenant.slug}", status_code=303)


def _show_week(page: Page, tenant: Any, form: WeekForm, *, status_code: int = 200,
               errors: dict[str, Problem] | None = None) -> Template:
    days = get_day_names("wide", locale=page.locale)
    return render(page, "ops/week.html", status_code=status_code, tenant=tenant, form=form, errors=errors or {},
                  weekdays=[(code, days[index]) for index, code in enumerate(WEEKDAYS)],
                  channels=[(code, page.translations.gettext(label)) for code, label in CHANNELS.items()])


async def _exists(platform_session: Any, slug: str) -> bool:
    try:
        await directory.get_tenant(platform_session, slug)
    except NotFound:
        return False
    return True

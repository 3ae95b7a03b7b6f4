"""Rendering a portal page: the Jinja2 environment (gettext from the page's catalogue) and the page context
every template receives (tenant branding, language, formatters, links)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel import Locale
from babel.support import Translations
from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.runtime import Context
from litestar import Request
from litestar.datastructures import Cookie
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Template
from litestar.template.base import csrf_token
from litestar.template.config import TemplateConfig
from markupsafe import Markup

from aftersales.contract.text import Message
from aftersales.i18n import rendering as sentences
from aftersales.i18n.formatting import LocaleFormat
from aftersales.i18n.negotiation import LANG_COOKIE, LANG_PARAM, choose_locale
from aftersales.identity.principals import Principal
from aftersales.tenancy.current import CurrentTenant
from aftersales.web.i18n.catalogues import translations
from aftersales.web.page_auth import Viewer
from aftersales.web.portal.branding import Branding

WEB_DIR = Path(__file__).parent.parent
TEMPLATE_DIR = Path(__file__).parent / "templates"
TEMPLATE_DIRS = [TEMPLATE_DIR, WEB_DIR / "console" / "templates", WEB_DIR / "ops" / "templates"]
"""Portal templates at the top (``base.html``, ``check.html``, ``account/…``); the staff console's under
``console/``, the operator console's under ``ops/``."""
STATIC_DIR = Path(__file__).parent / "static"
STATIC_PATH = "/static/portal"
LANG_COOKIE_SECONDS = 365 * 24 * 3600
TENANT_PATH = "/t/{tenant_slug:str}"


@pass_context
def _gettext(context: Context, message: str) -> str:
    return context["page"].translations.gettext(message)


@pass_context
def _ngettext(context: Context, singular: str, plural: str, n: int) -> str:
    return context["page"].translations.ngettext(singular, plural, n)


@pass_context
def csrf_field(context: Context) -> Markup:
    """``{{ csrf_field() }}``: the hidden CSRF input every page form carries."""
    return Markup('<input type="hidden" name="_csrf_token" value="{}">').format(csrf_token(context))


def isolate(text: str) -> Markup:
    """``text`` in a ``<bdi>``: a Persian company name inside an English sentence keeps both in order."""
    return Markup("<bdi>{}</bdi>").format(text)


@pass_context
def say(context: Context, text: str) -> str | Markup:
    """``{{ reason | say }}``: a plugin's sentence in the page's language, its numbers, dates and amounts the
    page's way; a sentence stored before sentences had ids is its English, marked as such."""
    fmt: LocaleFormat = context["page"].fmt
    if isinstance(text, Message):
        return sentences.render(text, fmt)
    return text if fmt.locale == "en" else Markup('<bdi lang="en">{}</bdi>').format(text)


def environment() -> Environment:
    """The pages' Jinja2 environment: autoescaped HTML, undefined names are errors, ``_()`` from the page's
    catalogue (new-style gettext, so ``_("… %(name)s", name=…)`` escapes what it interpolates)."""
    env = Environment(loader=FileSystemLoader(TEMPLATE_DIRS), autoescape=select_autoescape(["html"]),
                      undefined=StrictUndefined, extensions=["jinja2.ext.i18n"])
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters["bdi"] = isolate
    env.filters["say"] = say
    env.globals["csrf_field"] = csrf_field
    return env


def template_config() -> TemplateConfig[JinjaTemplateEngine]:
    """Litestar's template configuration for the portal's templates."""
    return TemplateConfig(instance=JinjaTemplateEngine.from_environment(environment()))


@dataclass(frozen=True)
class Language:
    """A language the tenant offers, named in itself (``فارسی``, ``ქართული``) for the language switch."""

    code: str
    name: str
    current: bool


@dataclass(frozen=True)
class Page:
    """Everything a portal template needs besides its own data."""

    branding: Branding
    locale: str
    fmt: LocaleFormat
    translations: Translations
    base_path: str
    """``/t/{slug}`` when the tenant came from the path, empty on the tenant's own host."""
    path: str
    remember_locale: bool
    """The language came from ``?lang=`` and is kept in a cookie for the next pages."""
    viewer: Principal | None = None
    """Who is signed in on this browser (for the header's name and sign-out), if anyone."""

    @property
    def languages(self) -> list[Language]:
        return [Language(code, Locale.parse(code).get_display_name(code) or code, code == self.locale)
                for code in self.branding.locales]

    def url(self, path: str) -> str:
        """A link to another portal page of the same tenant, on the same kind of address."""
        return f"{self.base_path}{path}"


def page_for(request: Request[Any, Any, Any], tenant: CurrentTenant, viewer: Viewer | None = None) -> Page:
    """The page context of ``request`` for ``tenant``: branding, the language the request chose, and who is
    signed in (pass the page's ``viewer``)."""
    return _page(request, Branding.of(tenant.record), viewer)


def platform_page_for(request: Request[Any, Any, Any], viewer: Viewer | None = None) -> Page:
    """The page context of an operator console page: the platform's own look, any supported language."""
    return _page(request, Branding.platform(), viewer)


def _page(request: Request[Any, Any, Any], branding: Branding, viewer: Viewer | None) -> Page:
    query = request.query_params.get(LANG_PARAM)
    locale = choose_locale(offered=branding.locales, default=branding.default_locale, query=query,
                           cookie=request.cookies.get(LANG_COOKIE),
                           accept_language=request.headers.get("accept-language"))
    catalogue = translations(locale)
    slug = request.path_params.get("tenant_slug")
    return Page(
        branding=branding, locale=locale, translations=catalogue,
        fmt=LocaleFormat(locale, irr_as_toman=branding.irr_as_toman),
        base_path=f"/t/{slug}" if slug else "", path=request.url.path,
        remember_locale=query == locale, viewer=viewer.principal if viewer is not None else None,
    )


def render(page: Page, template_name: str, *, status_code: int = 200, headers: dict[str, str] | None = None,
           **context: Any) -> Template:
    """The response of a portal page; remembers a language chosen with ``?lang=`` in a cookie."""
    cookies = []
    if page.remember_locale:
        cookies.append(Cookie(key=LANG_COOKIE, value=page.locale, max_age=LANG_COOKIE_SECONDS,
                              path=page.base_path or "/", samesite="lax", httponly=True))
    return Template(template_name=template_name, context={"page": page, **context}, status_code=status_code,
                    headers=headers, cookies=cookies, media_type="text/html; charset=utf-8")

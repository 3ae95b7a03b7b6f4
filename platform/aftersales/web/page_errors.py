"""Errors on pages are pages: a browser that asks for a missing tenant, a page it may not see, or one that
failed gets an HTML page in its language (never a JSON document or a stack trace); a page that needs a sign-in
redirects to the sign-in page and comes back after it.

:mod:`aftersales.http.problems` hands page requests (:func:`~aftersales.web.page_auth.is_page`) here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from babel.support import Translations
from litestar import Request, Response
from litestar.response import Redirect, Template

from aftersales.i18n.formatting import LocaleFormat
from aftersales.i18n.negotiation import LANG_COOKIE, choose_locale
from aftersales.observability.context import request_id_of
from aftersales.onboarding.manifest import SUPPORTED_LOCALES
from aftersales.web.i18n.catalogues import translations
from aftersales.web.page_auth import SignInRequired, htmx_asked, is_page, sign_in_url


@dataclass(frozen=True)
class BarePage:
    """The page context of an error page: a language, but no tenant (it may be the tenant that is missing)."""

    locale: str
    translations: Translations
    fmt: LocaleFormat = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "fmt", LocaleFormat(self.locale))


def bare_page(request: Request[Any, Any, Any]) -> BarePage:
    """An error page's language: the visitor's ``?lang=``, cookie or browser language among those the platform
    has."""
    locale = choose_locale(offered=SUPPORTED_LOCALES, default="en", query=request.query_params.get("lang"),
                           cookie=request.cookies.get(LANG_COOKIE),
                           accept_language=request.headers.get("accept-language"))
    return BarePage(locale, translations(locale))


def _messages(status: int, kind: str, page: BarePage, params: dict[str, Any]) -> tuple[str, str]:
    _ = page.translations.gettext
    if kind == "plugin-failed":
        return _("Service unavailable"), _(
            "The rules of this service are failing at the moment. It has been logged as error {error_id}; please "
            "try again later, and quote that number if you contact us.").format(error_id=params.get("error_id", ""))
    if kind == "vertical-unavailable":
        return _("Service unavailable"), _(
            "The rules of this service ({vertical}) are switched off at the moment: {reason}").format(
            vertical=params.get("vertical", ""), reason=params.get("reason", ""))
    if kind == "database-unavailable":
        return _("Service unavailable"), _("We cannot reach our records at the moment. Please try again in a minute.")
    if kind == "tenant-unavailable":
        return _("Service unavailable"), _("This service is not available at the moment. Please try again later or contact the company directly.")
    if status == 404:
        return _("Page not found"), _("There is nothing at this address. Check the link, or start again from the home page.")
    if status in (401, 403):
        return _("No access"), _("You do not have access to this page.")
    if status == 429:
        return _("Too many attempts"), _("Please wait a little and try again.")
    if status >= 500:
        return _("Something went wrong"), _("Something went wrong on our side. It has been logged; please try again.")
    return _("This could not be done"), _("Please check what you entered and try again.")


def error_page(request: Request[Any, Any, Any], *, status: int, detail: str | None = None,
               field_errors: list[dict[str, str]] | None = None,
               headers: dict[str, str] | None = None, kind: str = "",
               params: dict[str, Any] | None = None) -> Template:
    """The HTML error page for ``status`` (``kind`` is the problem type's name); ``detail`` and field reasons are
    shown below 500 only, and never for a missing page or an unavailable tenant. A failing or disabled vertical
    (503) says so in the reader's language, with the error id or the reason (``params`` of the problem). Every
    error page shows the request id (as the ``X-Request-ID`` header does) for the visitor to quote."""
    page = bare_page(request)
    title, explanation = _messages(status, kind, page, params or {})
    shown = detail if status < 500 and status != 404 and kind != "tenant-unavailable" else None
    return Template(template_name="error.html", status_code=status, headers=headers,
                    media_type="text/html; charset=utf-8",
                    context={"page": page, "title": title, "explanation": explanation, "detail": shown,
                             "field_errors": field_errors if status < 500 else None,
                             "reference": page.translations.gettext("If you contact us, quote this reference:"),
                             "request_id": request_id_of(request.scope)})


def page_answer(request: Request[Any, Any, Any], *, status: int, detail: str, kind: str,
                field_errors: list[dict[str, str]] | None = None, headers: dict[str, str] | None = None,
                **problem: Any) -> Template | None:
    """The error page a page request gets instead of a problem document; None for an API request (the app
    passes this to :func:`aftersales.http.problems.exception_handlers`)."""
    if not is_page(request):
        return None
    return error_page(request, status=status, detail=detail, field_errors=field_errors, headers=headers, kind=kind,
                      params=problem.get("params"))


def sign_in_redirect(request: Request[Any, Any, Any], exc: SignInRequired) -> Response[Any]:
    """Send the browser to the sign-in page of the area it tried to enter (HTMX: the whole page goes)."""
    target = sign_in_url(request, exc.area)
    if htmx_asked(request):
        return Response(None, status_code=204, headers={"HX-Redirect": target})
    return Redirect(target, status_code=303)

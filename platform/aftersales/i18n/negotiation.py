"""Which language a page is shown in: ``?lang=``, then the ``lang`` cookie, then the browser's
``Accept-Language`` among the languages the tenant offers, then the tenant's default."""

from __future__ import annotations

from babel import negotiate_locale

LANG_PARAM = "lang"
LANG_COOKIE = "lang"


def accepted_languages(header: str | None) -> list[str]:
    """The language tags of an ``Accept-Language`` header, most wanted first (``q=0`` ones dropped)."""
    ranked = []
    for position, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        tag = tag.strip()
        if not tag or tag == "*":
            continue
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            ranked.append((-quality, position, tag))
    return [tag for _, _, tag in sorted(ranked)]


def choose_locale(*, offered: tuple[str, ...] | list[str], default: str, query: str | None = None,
                  cookie: str | None = None, accept_language: str | None = None) -> str:
    """The locale of a page: the first of query, cookie and ``Accept-Language`` the tenant offers, else its default.

    A language the tenant does not offer is ignored wherever it comes from, so no page of a Persian-only
    tenant is ever shown in English because a browser asked for it.
    """
    for explicit in (query, cookie):
        if explicit and explicit in offered:
            return explicit
    wanted = accepted_languages(accept_language)
    if wanted:
        chosen = negotiate_locale(wanted, list(offered), sep="-")
        if chosen:
            return chosen
    return default

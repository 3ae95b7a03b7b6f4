"""The gettext catalogues of the sentences plugins and the core say, one per domain and locale.

A domain is a top-level package (``aftersales_electronics``; the core's own sentences are ``aftersales``), and its
catalogues are ``<package>/locale/<locale>/LC_MESSAGES/<domain>.po``. They are compiled with Babel in memory, once
per process, at start-up (:func:`load`), so a broken ``.po`` file is reported when the process starts, not
when a customer's page needs it. A domain without a catalogue for a locale, or with a broken one, says its
sentences in English.
"""

from __future__ import annotations

import importlib.util
import logging
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.support import NullTranslations, Translations

from aftersales.contract.text import CORE_DOMAIN

SUPPORTED_LOCALES = ("en", "fa", "zh", "ka")
"""The languages of the platform: every page, plugin catalogue and tenant locale is one of these."""

log = logging.getLogger(__name__)


class BrokenCatalogue(ValueError):
    """A ``.po`` file that Babel cannot read (the file and the line are in the message)."""


def locale_dir(domain: str) -> Path | None:
    """The ``locale`` folder of the package ``domain`` names, or None when there is no such package."""
    spec = importlib.util.find_spec(domain)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "locale"


def po_path(domain: str, locale: str) -> Path | None:
    """Where ``domain``'s catalogue for ``locale`` is (whether or not the file exists)."""
    folder = locale_dir(domain)
    return None if folder is None else folder / locale / "LC_MESSAGES" / f"{domain}.po"


def compile_catalogue(path: Path, locale: str, domain: str) -> Translations:
    """The ``.po`` file at ``path`` compiled in memory.

    :raises BrokenCatalogue: the file is not a readable gettext catalogue.
    """
    try:
        with path.open("rb") as fh:
            catalog = read_po(fh, locale=locale, domain=domain, abort_invalid=True)
    except (PoFileError, ValueError, UnicodeDecodeError) as exc:
        raise BrokenCatalogue(f"{path}: {exc}") from None
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(fp=compiled, domain=domain)


_compiled: dict[tuple[str, str], NullTranslations] = {}


def translations(domain: str, locale: str) -> NullTranslations:
    """``domain``'s catalogue in ``locale``, compiled once per process; English (the msgids) when it has none
    or it is broken (a broken one is logged, at start-up when :func:`load` ran)."""
    key = (domain, locale)
    found = _compiled.get(key)
    if found is None:
        try:
            found = _compile(domain, locale)
        except BrokenCatalogue as exc:
            log.error("broken message catalogue, %s speaks English in %s: %s", domain, locale, exc)
            found = NullTranslations()
        _compiled[key] = found
    return found


def _compile(domain: str, locale: str) -> NullTranslations:
    path = po_path(domain, locale) if locale in SUPPORTED_LOCALES else None
    if path is None or not path.is_file():
        return NullTranslations()
    return compile_catalogue(path, locale, domain)


def load(domains: set[str]) -> list[str]:
    """Compile every catalogue of ``domains`` (and the core's) for every locale not compiled yet in this process,
    at start-up; returns the broken ones, each also logged as an error (its domain speaks English there)."""
    broken = []
    for domain in sorted(domains | {CORE_DOMAIN}):
        for locale in SUPPORTED_LOCALES:
            if (domain, locale) in _compiled:
                continue
            try:
                _compiled[domain, locale] = _compile(domain, locale)
            except BrokenCatalogue as exc:
                log.error("broken message catalogue, %s speaks English in %s: %s", domain, locale, exc)
                _compiled[domain, locale] = NullTranslations()
                broken.append(str(exc))
    return broken


def domain_of(plugin: object) -> str:
    """The gettext domain of a plugin object (a module or an instance): its top-level package."""
    module = getattr(plugin, "__name__", None) if isinstance(getattr(plugin, "__name__", None), str) else None
    return (module or type(plugin).__module__).split(".")[0]

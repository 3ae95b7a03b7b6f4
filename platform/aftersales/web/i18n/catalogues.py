"""The compiled message catalogues, one per supported locale, built from the ``.po`` files with Babel.

A locale's catalogue is every ``.po`` file in ``{locale}/LC_MESSAGES/``: one file per area of the pages
(``messages.po`` for the public pages and the frame, ``console.po``, ``account.po``, …), so areas are translated
and reviewed on their own. A message may appear in two files only with the same translation."""

from __future__ import annotations

from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from aftersales.onboarding.manifest import SUPPORTED_LOCALES

CATALOGUE_DIR = Path(__file__).parent
DOMAIN = "messages"


def po_path(locale: str, area: str = DOMAIN) -> Path:
    """Where the catalogue file of ``area`` for ``locale`` lives."""
    return CATALOGUE_DIR / locale / "LC_MESSAGES" / f"{area}.po"


def po_paths(locale: str) -> list[Path]:
    """Every catalogue file of ``locale``, in name order."""
    return sorted((CATALOGUE_DIR / locale / "LC_MESSAGES").glob("*.po"))


def read_catalogue(locale: str) -> Catalog:
    """All of ``locale``'s catalogue files merged into one catalogue.

    :raises ValueError: a message is translated differently in two files.
    """
    merged: Catalog | None = None
    for path in po_paths(locale):
        with path.open("rb") as fh:
            catalog = read_po(fh, locale=locale, domain=DOMAIN)
        if merged is None:
            merged = catalog
            continue
        for message in catalog:
            if not message.id:
                continue
            known = merged.get(message.id, message.context)
            if known is not None and known.string != message.string:
                raise ValueError(f"{path.name}: {message.id!r} is translated differently in another file")
            if known is None:
                merged[message.id] = message
    if merged is None:
        raise KeyError(f"no catalogue files for locale {locale!r}")
    return merged


@cache
def translations(locale: str) -> Translations:
    """The catalogue of ``locale``, compiled in memory on first use (the portal compiles all at start-up).

    :raises KeyError: ``locale`` is not one the platform supports.
    """
    if locale not in SUPPORTED_LOCALES:
        raise KeyError(f"no catalogue for locale {locale!r}")
    catalog = read_catalogue(locale)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(fp=compiled, domain=DOMAIN)


def compile_all() -> dict[str, Translations]:
    """Every supported locale's catalogue, so a broken ``.po`` file stops the start-up, not a customer's page."""
    return {locale: translations(locale) for locale in SUPPORTED_LOCALES}

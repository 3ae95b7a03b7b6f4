"""The compiled message catalogues, one per supported locale, built from the ``.po`` files with Babel."""

from __future__ import annotations

from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from aftersales.tenancy.manifest import SUPPORTED_LOCALES

CATALOGUE_DIR = Path(__file__).parent
DOMAIN = "messages"


def po_path(locale: str) -> Path:
    """Where the catalogue of ``locale`` lives."""
    return CATALOGUE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(locale: str) -> Translations:
    """The catalogue of ``locale``, compiled in memory on first use (the portal compiles all at start-up).

    :raises KeyError: ``locale`` is not one the platform supports.
    """
    if locale not in SUPPORTED_LOCALES:
        raise KeyError(f"no catalogue for locale {locale!r}")
    with po_path(locale).open("rb") as fh:
        catalog = read_po(fh, locale=locale, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(fp=compiled, domain=DOMAIN)


def compile_all() -> dict[str, Translations]:
    """Every supported locale's catalogue, so a broken ``.po`` file stops the start-up, not a customer's page."""
    return {locale: translations(locale) for locale in SUPPORTED_LOCALES}

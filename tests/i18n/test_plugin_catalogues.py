"""Every sentence a built-in plugin or the core can say is translated in all four languages: the msgids are
extracted afresh from the sources with Babel's extractor (``_("…")``), and each catalogue must hold every one
with a non-empty translation that uses exactly the msgid's placeholders."""

from __future__ import annotations

import re
from pathlib import Path
from string import Formatter

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import aftersales
from aftersales.contract.text import CORE_DOMAIN
from aftersales.i18n.catalogues import SUPPORTED_LOCALES, po_path

REPO = Path(__file__).resolve().parents[2]
BUILT_IN = tuple(sorted(p.parent.name for p in REPO.glob("plugins/*/aftersales_*/__init__.py")))
"""Every vertical shipped in ``plugins/`` (the three of issue 5 and any added since)."""
CORE_SOURCES = Path(aftersales.__file__).parent / "contract"
EXTRA = {CORE_DOMAIN: {"%(amount)s toman"}}
"""Catalogued sentences said through ``gettext`` rather than ``_`` (``LocaleFormat.money``)."""


def sources(domain: str) -> Path:
    if domain == CORE_DOMAIN:
        return CORE_SOURCES
    return next(REPO.glob(f"plugins/*/{domain}"))


def extracted(domain: str) -> set[str]:
    found = {message for _, _, message, _, _ in extract_from_dir(
        str(sources(domain)), method_map=[("**.py", "python")], keywords={"_": None})}
    return found | EXTRA.get(domain, set())


def placeholders(text: str) -> set[str]:
    if "%(" in text:
        return {part.split(")")[0] for part in text.split("%(")[1:]}
    return {name for _, name, _, _ in Formatter().parse(text) if name is not None}


def catalogue(domain: str, locale: str) -> dict[str, str]:
    path = po_path(domain, locale)
    assert path is not None and path.is_file(), f"{domain} has no {locale} catalogue"
    assert path.parents[3] == sources(domain) or domain == CORE_DOMAIN, "the catalogue the core loads"
    with path.open("rb") as fh:
        return {m.id: m.string for m in read_po(fh, locale=locale, domain=domain) if m.id}


@pytest.mark.parametrize("domain", (CORE_DOMAIN, *BUILT_IN))
def test_the_extractor_finds_the_plugins_sentences(domain: str) -> None:
    assert len(BUILT_IN) >= 3
    assert len(extracted(domain)) >= 25, "no _() found: is the plugin still writing plain strings?"


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
@pytest.mark.parametrize("domain", (CORE_DOMAIN, *BUILT_IN))
def test_every_sentence_is_translated_with_the_same_placeholders(domain: str, locale: str) -> None:
    said = extracted(domain)
    translated = catalogue(domain, locale)
    assert sorted(said - translated.keys()) == [], f"missing from {domain}'s {locale} catalogue"
    assert sorted(i for i in said if not translated[i].strip()) == [], "untranslated"
    assert sorted(i for i in said if placeholders(translated[i]) != placeholders(i)) == [], "placeholders differ"
    assert sorted(translated.keys() - said) == [], "in the catalogue but no longer said"


@pytest.mark.parametrize("locale", ("fa", "zh", "ka"))
@pytest.mark.parametrize("domain", (CORE_DOMAIN, *BUILT_IN))
def test_translations_are_not_english_copies(domain: str, locale: str) -> None:
    copied = [i for i, s in catalogue(domain, locale).items()
              if s == i and any(c.isalpha() for c in re.sub(r"\{\w+\}", "", i))]
    assert copied == []

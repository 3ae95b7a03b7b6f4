"""Every sentence a built-in plugin or the core can say is translated in all four languages: the msgids are
extracted afresh from the sources with Babel's extractor (``_("…")``), and each catalogue must hold every one
with a non-empty translation that uses exactly the msgid's placeholders.

The core's sentences are extracted from the whole ``aftersales`` package but its pages (``web/``, whose ``_`` is
the pages' own gettext with catalogues in ``web/i18n``): the contract's defaults, and what the core itself says
into stored text (a follow-up's routing, a request's timeline notes), each module writing
``_ = messages(CORE_DOMAIN)``. A ``Message("…")`` written directly is a sentence the extractor cannot see, so
the core is checked to write none."""

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
CORE_SOURCES = Path(aftersales.__file__).parent
CORE_METHODS = [("web/**", "ignore"), ("contract/testing/**", "ignore"), ("**.py", "python")]
"""The pages speak their own catalogues; the plugin test kit says nothing to users."""
EXTRA = {CORE_DOMAIN: {"%(amount)s toman"}}
"""Catalogued sentences said through ``gettext`` rather than ``_`` (``LocaleFormat.money``)."""


def sources(domain: str) -> Path:
    if domain == CORE_DOMAIN:
        return CORE_SOURCES
    return next(REPO.glob(f"plugins/*/{domain}"))


def extracted(domain: str) -> set[str]:
    methods = CORE_METHODS if domain == CORE_DOMAIN else [("**.py", "python")]
    found = {message for _, _, message, _, _ in extract_from_dir(
        str(sources(domain)), method_map=methods, keywords={"_": None})}
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


def test_the_core_says_its_sentences_where_the_extractor_sees_them() -> None:
    direct = sorted(str(path.relative_to(CORE_SOURCES)) for path in CORE_SOURCES.rglob("*.py")
                    if path.name != "text.py" and re.search(r"\bMessage\(\s*[\"']", path.read_text()))
    assert direct == [], "write _ = messages(CORE_DOMAIN) and _(\"…\") so the sentence is catalogued"


def test_the_core_catalogue_holds_what_routing_and_quotes_say() -> None:
    said = extracted(CORE_DOMAIN)
    assert {"closed after {steps} steps", "the {plan} follow-up was routed to {step}: {reason}",
            "quote offered: {total}", "{hours} h of labour at {rate} an hour"} <= said


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

"""Every user-facing string of the pages is in the catalogues and translated into Persian, Chinese and
Georgian; the catalogues match what the templates and code mark today (extracted afresh, as pybabel does)."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg

from aftersales.onboarding.manifest import SUPPORTED_LOCALES
from aftersales.web.i18n.catalogues import compile_all, po_paths, read_catalogue

REPO = Path(__file__).resolve().parents[3]
TRANSLATED = [locale for locale in SUPPORTED_LOCALES if locale != "en"]


def _extracted() -> set[str]:
    with (REPO / "babel.cfg").open() as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(str(REPO), method_map, options_map):
        found.add(message if isinstance(message, str) else message[0])
    return found


def _catalogue(locale: str):
    return read_catalogue(locale)


def test_every_area_file_exists_in_every_language():
    areas = {tuple(path.name for path in po_paths(locale)) for locale in SUPPORTED_LOCALES}
    assert len(areas) == 1, "an area's .po file is missing in some language"


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_catalogue_is_up_to_date_with_the_pages(locale):
    in_catalogue = {m.id for m in _catalogue(locale) if m.id}
    extracted = _extracted()
    assert extracted, "no marked strings found: babel.cfg does not reach the templates"
    assert sorted(extracted - in_catalogue) == [], "marked but not in the catalogue: run pybabel extract/update"
    assert sorted(in_catalogue - extracted) == [], "in the catalogue but no longer used"


@pytest.mark.parametrize("locale", TRANSLATED)
def test_every_string_is_translated(locale):
    untranslated = [m.id for m in _catalogue(locale) if m.id and (not m.string or m.fuzzy)]
    assert untranslated == []


@pytest.mark.parametrize("locale", TRANSLATED)
def test_placeholders_survive_translation(locale):
    broken = [m.id for m in _catalogue(locale) if m.id and m.python_format and m.check()]
    assert broken == []


def test_catalogues_compile():
    assert set(compile_all()) == set(SUPPORTED_LOCALES)

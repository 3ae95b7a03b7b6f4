"""Every sentence the industrial vertical can say is translated in its four catalogues (en, fa, zh, ka), with the
same placeholders, and the catalogues ship inside the package (``locale/<locale>/LC_MESSAGES``)."""

from __future__ import annotations

import string
from importlib.resources import files

import aftersales_industrial
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

LOCALES = ("en", "fa", "zh", "ka")
DOMAIN = "aftersales_industrial"
PACKAGE = files(aftersales_industrial)


def said() -> set[str]:
    """Every message id the package's source passes to ``_``."""
    found = extract_from_dir(str(PACKAGE), method_map=[("**.py", "python")], keywords={"_": None},
                             comment_tags=(), strip_comment_tags=True)
    return {message for _file, _line, message, _comments, _context in found}


def placeholders(text: str) -> set[str]:
    return {name for _literal, name, _spec, _conversion in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("locale", LOCALES)
def test_every_sentence_is_translated_with_its_placeholders(locale: str) -> None:
    path = PACKAGE / "locale" / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as fh:
        catalogue = read_po(fh, locale=locale, domain=DOMAIN)
    translated = {m.id: m.string for m in catalogue if m.id}
    ids = said()
    assert len(ids) > 25
    assert ids - set(translated) == set(), "untranslated"
    assert set(translated) - ids == set(), "no longer said"
    for msgid in ids:
        assert translated[msgid].strip(), msgid
        assert placeholders(translated[msgid]) == placeholders(msgid), msgid


def test_georgian_reads_the_onsite_promise_with_its_numbers() -> None:
    with (PACKAGE / "locale" / "ka" / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as fh:
        catalogue = read_po(fh, locale="ka", domain=DOMAIN)
    msgid = ("an engineer on site within {hours} h: the customer is {km} km from the nearest service point "
             "(within {radius} km)")
    assert catalogue[msgid].string.format(hours=24, km="25.3", radius=300) == (
        "ინჟინერი ადგილზე 24 საათში: მომხმარებელი უახლოესი მომსახურების პუნქტიდან 25.3 კმ-შია (300 კმ-ის ფარგლებში)")

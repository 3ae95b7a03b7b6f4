"""Which language a page is in: ?lang=, then the cookie, then Accept-Language, then the tenant's default; never a
language the tenant does not offer."""

from __future__ import annotations

from aftersales.i18n.negotiation import accepted_languages, choose_locale

OFFERED = ("fa", "en")


def test_query_beats_cookie_beats_browser():
    assert choose_locale(offered=OFFERED, default="fa", query="en", cookie="fa", accept_language="fa") == "en"
    assert choose_locale(offered=OFFERED, default="fa", cookie="en", accept_language="fa") == "en"
    assert choose_locale(offered=OFFERED, default="fa", accept_language="en-GB,en;q=0.9") == "en"


def test_a_language_not_offered_is_ignored_wherever_it_comes_from():
    assert choose_locale(offered=OFFERED, default="fa", query="zh", cookie="ka", accept_language="zh-CN") == "fa"


def test_browser_preferences_by_quality():
    assert accepted_languages("de;q=0.5, en;q=0.8, fa") == ["fa", "en", "de"]
    assert accepted_languages("en;q=0, fa") == ["fa"]
    assert choose_locale(offered=OFFERED, default="fa", accept_language="de, en;q=0.1") == "en"
    assert choose_locale(offered=("zh", "en"), default="en", accept_language="zh-CN,zh;q=0.9") == "zh"


def test_default_when_nothing_is_said():
    assert choose_locale(offered=OFFERED, default="fa") == "fa"
    assert choose_locale(offered=OFFERED, default="fa", accept_language="*") == "fa"

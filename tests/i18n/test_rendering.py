"""A plugin's sentence rendered for its reader: translated from the plugin's catalogue, each parameter written
the reader's way (Persian digits, Jalali dates, toman; CLDR elsewhere), parameters isolated in right-to-left
text; legacy English passes through; a broken catalogue is reported at start-up and its plugin speaks English."""

from __future__ import annotations

import logging
from datetime import date
from decimal import Decimal

from aftersales.contract import Money, messages
from aftersales.contract.claims import Checklist
from aftersales.contract.text import Message, loaded_text, stored_text
from aftersales.i18n import catalogues
from aftersales.i18n.rendering import FSI, PDI, reader_format, render

electronics = messages("aftersales_electronics")
appliances = messages("aftersales_appliances")
auto = messages("aftersales_auto_service")


def test_persian_reason_is_persian_with_its_number_isolated_in_persian_digits() -> None:
    reason = electronics("{months}-month warranty from the sale", months=18)
    assert render(reason, reader_format("fa")) == f"گارانتی {FSI}۱۸{PDI} ماهه از تاریخ فروش"
    assert reason == "18-month warranty from the sale"  # the Message is still its English


def test_dates_are_jalali_in_persian_and_cldr_long_elsewhere() -> None:
    checks = Checklist()
    checks.within(date(2026, 5, 1), date(2026, 3, 21), electronics("warranty"))
    failed = checks.as_tuple()[0]
    assert render(failed, reader_format("fa")) == (
        f"گارانتی در {FSI}۱ فروردین ۱۴۰۵{PDI} به پایان رسید؛ درخواست در {FSI}۱۱ اردیبهشت ۱۴۰۵{PDI} ثبت شد")
    assert render(failed, reader_format("zh")) == "保修期已于2026年3月21日结束；本次索赔于2026年5月1日报告"
    assert render(failed, reader_format("en")) == "the warranty ended on March 21, 2026; the claim was reported on May 1, 2026"


def test_amounts_are_written_as_the_locale_writes_money_and_toman_where_the_tenant_counts_so() -> None:
    reason = auto("a return refunds the full price only when it was paid in full; {paid} of it was paid",
                  paid=Money(1_250_000, "IRR"))
    assert "۱۲۵٬۰۰۰ تومان" in render(reason, reader_format("fa", irr_as_toman=True))
    assert "ریال" in render(reason, reader_format("fa"))
    refund = auto("a return refunds the full price only when it was paid in full; {paid} of it was paid",
                  paid=Money(1250, "GEL"))
    assert render(refund, reader_format("ka")) == (
        "დაბრუნებისას სრული ფასი ანაზღაურდება მხოლოდ სრულად გადახდის შემთხვევაში; გადახდილია 12,50\xa0₾")


def test_toman_thresholds_keep_their_grouping_in_english_and_get_persian_digits_in_persian() -> None:
    reason = appliances("a wallet balance under {limit} toman is refundable by bank transfer; "
                        "registered as a follow-up for finance", limit=Decimal(5_000_000) / 10)
    assert str(reason).startswith("a wallet balance under 500,000 toman")
    assert render(reason, reader_format("fa")).startswith(f"موجودی کیف پول کمتر از {FSI}۵۰۰٬۰۰۰{PDI} تومان")


def test_a_phrase_parameter_is_translated_with_its_sentence_and_survives_storage() -> None:
    checks = Checklist()
    checks.within(date(2026, 5, 1), None, auto("return period"))
    stored = stored_text(checks.as_tuple()[0])
    again = loaded_text(stored)
    assert isinstance(again, Message) and again == "no return period applies to this purchase"
    assert render(again, reader_format("fa")) == "هیچ مهلت مرجوعی برای این خرید در نظر گرفته نشده است"


def test_plain_text_stored_before_messages_passes_through() -> None:
    assert render("18-month warranty from the sale", reader_format("fa")) == "18-month warranty from the sale"
    assert loaded_text("18-month warranty from the sale") == "18-month warranty from the sale"


def test_a_domain_without_catalogues_speaks_english() -> None:
    reason = Message("{n} filters changed", domain="aftersales_nobody", n=3)
    assert render(reason, reader_format("fa")) == f"{FSI}۳{PDI} filters changed"


def test_a_broken_catalogue_is_reported_at_start_up_and_its_plugin_speaks_english(tmp_path, monkeypatch,
                                                                                  caplog) -> None:
    package = tmp_path / "aftersales_broken"
    (package / "locale" / "fa" / "LC_MESSAGES").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "locale" / "fa" / "LC_MESSAGES" / "aftersales_broken.po").write_text(
        'msgid "the repair is charged"\nmsgid "تعمیر هزینه دارد"\n', encoding="utf-8")  # no msgstr
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(catalogues, "_compiled", {})
    monkeypatch.setattr(catalogues.log, "disabled", False)  # a logging config loaded by another test may disable it
    with caplog.at_level(logging.ERROR, logger="aftersales.i18n.catalogues"):
        broken = catalogues.load({"aftersales_broken"})
    assert len(broken) == 1 and "aftersales_broken.po" in broken[0]
    assert "aftersales_broken speaks English in fa" in caplog.text
    said = Message("the repair is charged", domain="aftersales_broken")
    assert render(said, reader_format("fa")) == "the repair is charged"


def test_a_translation_that_lost_a_placeholder_falls_back_to_english(monkeypatch, caplog) -> None:
    from babel.support import Translations

    class Wrong(Translations):
        def gettext(self, message: str) -> str:
            return "گارانتی {month} ماهه"

    monkeypatch.setitem(catalogues._compiled, ("aftersales_electronics", "fa"), Wrong())
    monkeypatch.setattr(logging.getLogger("aftersales.i18n.rendering"), "disabled", False)
    reason = electronics("{months}-month warranty from the sale", months=18)
    assert render(reason, reader_format("fa")) == f"{FSI}۱۸{PDI}-month warranty from the sale"
    assert "does not fit its parameters" in caplog.text

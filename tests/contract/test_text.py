"""Messages: a plugin's sentence as an id with typed parameters, stored as JSON and rebuilt the same."""

from __future__ import annotations

import pickle
from datetime import date, datetime
from decimal import Decimal

import pytest

from aftersales.contract import Message, Money, messages
from aftersales.contract.text import loaded_text, stored_text


def test_a_message_reads_as_its_english_sentence() -> None:
    _ = messages("aftersales_electronics")
    reason = _("{months}-month warranty from the sale", months=18)
    assert reason == "18-month warranty from the sale"
    assert reason.msgid == "{months}-month warranty from the sale"
    assert reason.domain == "aftersales_electronics"
    assert reason.params == {"months": 18}


def test_typed_parameters_survive_storage() -> None:
    reason = Message("refund of {amount} until {day} at {rate}", domain="x",
                     amount=Money(1_250_000, "IRR"), day=date(2026, 3, 21), rate=Decimal("0.5"))
    assert reason == "refund of 1250000 IRR until 2026-03-21 at 0.5"
    stored = stored_text(reason)
    assert stored == {"id": "refund of {amount} until {day} at {rate}", "domain": "x",
                      "params": {"amount": {"money": [1_250_000, "IRR"]}, "day": {"date": "2026-03-21"},
                                 "rate": {"decimal": "0.5"}}}
    again = loaded_text(stored)
    assert isinstance(again, Message) and again.params == reason.params and again == reason
    assert pickle.loads(pickle.dumps(reason)).params == reason.params


def test_plain_text_is_stored_as_itself() -> None:
    assert stored_text("within the warranty period") == "within the warranty period"
    assert loaded_text("within the warranty period") == "within the warranty period"


@pytest.mark.parametrize("value", [1.5, True, datetime(2026, 1, 1), [1], None])
def test_untyped_parameters_are_refused(value: object) -> None:
    with pytest.raises(TypeError, match="use int, Decimal, str, date or Money"):
        Message("{x}", x=value)  # type: ignore[arg-type]


def test_a_message_missing_a_parameter_is_refused() -> None:
    with pytest.raises(ValueError, match="does not fit"):
        Message("{months}-month warranty")


def test_english_groups_thousands_so_a_toman_threshold_reads_as_before() -> None:
    reason = Message("under {limit} toman, not {asked}", limit=Decimal(5_000_000) / 10, asked=4_999_999)
    assert reason == "under 500,000 toman, not 4,999,999"


def test_a_phrase_parameter_is_a_message_stored_inside_its_sentence() -> None:
    _ = messages("aftersales_auto_service")
    failed = Message("no {what} applies to this purchase", what=_("return period"))
    assert failed == "no return period applies to this purchase"
    stored = stored_text(failed)
    assert stored["params"] == {"what": {"message": {"id": "return period", "domain": "aftersales_auto_service",
                                                     "params": {}}}}
    again = loaded_text(stored)
    assert isinstance(again.params["what"], Message) and again == failed

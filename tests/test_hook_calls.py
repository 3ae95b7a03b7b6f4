"""The answer check of :mod:`aftersales.hook_calls`, read from a spec's return annotation, at its edges."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from aftersales.contract.values import SerialCheck, SlaTarget
from aftersales.hook_calls import type_check

CHECK = SerialCheck(valid=True, normalized="A1", scheme="any")


@pytest.mark.parametrize(("annotation", "answer", "allowed"), [
    (SerialCheck, CHECK, True),
    (SerialCheck, None, False),
    (SerialCheck | None, None, True),
    (SerialCheck | None, "A1", False),
    (list[SlaTarget], [], True),
    (list[SlaTarget] | None, None, True),
    (list[SerialCheck], [CHECK, CHECK], True),
    (list[SerialCheck], [CHECK, "A1"], False),
    (list[SerialCheck], (CHECK,), False),
    (Sequence[SerialCheck], (CHECK,), True),
    (list[SerialCheck | None], [CHECK, None], True),
    (bool, True, True),
])
def test_an_answer_is_checked_against_the_annotation(annotation, answer, allowed):
    check = type_check(annotation)
    assert check is not None and check(answer) is allowed


def test_an_annotation_it_cannot_check_accepts_anything():
    assert type_check(Any) is None
    assert type_check(object) is None

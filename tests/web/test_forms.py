"""Every page reads a posted text field the same way: trimmed, and empty when missing or not text."""

from __future__ import annotations

from litestar.datastructures import UploadFile

from aftersales.web.forms import field, fields


def test_a_field_is_trimmed_and_a_missing_one_is_empty():
    posted = {"serial": "  490154203237518\n", "note": ""}
    assert field(posted, "serial") == "490154203237518"
    assert fields(posted, "serial", "note", "card_code") == {"serial": "490154203237518", "note": "",
                                                            "card_code": ""}


def test_a_file_posted_into_a_text_field_reads_as_empty_not_as_its_repr():
    upload = UploadFile(content_type="application/pdf", filename="invoice.pdf", file_data=b"%PDF-1.4")
    assert field({"serial": upload}, "serial") == ""

from aftersales.contract.numerals import ascii_digits


def test_persian_arabic_indic_and_full_width_digits_read_as_ascii():
    assert ascii_digits("۴۹۰۱۵۴") == "490154"
    assert ascii_digits("٤٩٠١٥٤") == "490154"
    assert ascii_digits("ＹＺ０１２") == "ＹＺ012"  # only digits change; letters stay as typed


def test_text_without_digits_or_ascii_is_unchanged():
    assert ascii_digits("GL-AB12") == "GL-AB12"
    assert ascii_digits("مهر") == "مهر"

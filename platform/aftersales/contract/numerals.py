"""Digits as customers type them: Persian (۰–۹), Arabic-Indic (٠–٩), full-width (０–９) and every other Unicode
decimal digit read as ASCII. Part of the plugin contract: verticals normalise serials and numbers with it."""

from __future__ import annotations

import unicodedata


def ascii_digits(text: str) -> str:
    """``text`` with every Unicode decimal digit replaced by its ASCII digit; other characters unchanged."""
    if text.isascii():
        return text
    return "".join(str(unicodedata.decimal(ch)) if not ch.isascii() and unicodedata.decimal(ch, None) is not None
                   else ch for ch in text)

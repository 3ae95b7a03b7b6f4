"""Serial numbers of appliances: each model family has its own format, chosen by the model's SKU prefix.

Serials are trimmed and upper-cased, and Persian (۰–۹) or Arabic-Indic (٠–٩) digits, which customers in Iran
often type, are read as ASCII digits.
"""

from __future__ import annotations

from collections.abc import Mapping


def pattern_for_model(sku: str | None, patterns: Mapping[str, str], default: str) -> tuple[str, str]:
    """The scheme name and pattern for a model: the longest SKU prefix in ``patterns``, else the default."""
    prefixes = [prefix for prefix in patterns if sku is not None and sku.startswith(prefix)]
    if not prefixes:
        return "pattern:default", default
    longest = max(prefixes, key=len)
    return f"pattern:{longest}", patterns[longest]


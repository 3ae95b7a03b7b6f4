"""What request bodies share: text limits taken from the services' own, so a schema and the rule it announces
cannot disagree."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field


def limited_text(limit: int) -> type[str]:
    """A string the service takes at most ``limit`` characters of, once trimmed: ``maxLength`` in the OpenAPI
    document, checked by the service alone, so a longer value is refused with the others of the same body (422,
    each field with its reason and code) rather than alone before them."""
    return Annotated[str, Field(json_schema_extra={"maxLength": limit})]  # type: ignore[return-value]

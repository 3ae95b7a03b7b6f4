"""Reading what a person typed into a page's form: each field trimmed, empty when missing or not text."""

from __future__ import annotations

from typing import Any

from litestar import Request


def field(posted: Any, name: str) -> str:
    """The posted field ``name``, trimmed; empty when it is missing or not text (a file in a text field)."""
    value = posted.get(name)
    return value.strip() if isinstance(value, str) else ""


def fields(posted: Any, *names: str) -> dict[str, str]:
    """The posted fields ``names``, each as :func:`field` reads it."""
    return {name: field(posted, name) for name in names}


async def form_fields(request: Request[Any, Any, Any], *names: str) -> dict[str, str]:
    """The request's posted form's fields ``names``, each as :func:`field` reads it."""
    return fields(await request.form(), *names)

"""A request that declares a huge body and sends only its first bytes: answered at once or never."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx

DECLARED = 1024**3  # 1 GiB
ANSWER_WITHIN = 20.0
"""Seconds the server has to answer; it only runs out when the server waits for the rest of the body."""


async def declared_huge(client: httpx.AsyncClient, url: str, *, headers: dict[str, str],
                        first: bytes = b"--x\r\n") -> httpx.Response:
    """POST ``first`` under a ``Content-Length`` of 1 GiB and never send the rest; the answer must not need it."""
    never = asyncio.Event()

    async def body() -> AsyncIterator[bytes]:
        yield first
        await never.wait()  # the rest of the declared gigabyte never comes

    return await asyncio.wait_for(
        client.post(url, content=body(), headers={**headers, "Content-Length": str(DECLARED)}), ANSWER_WITHIN)

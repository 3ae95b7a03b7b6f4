"""What every ``aftersales`` command shares: one readable line per failure, and a runtime for the work."""

from __future__ import annotations

import asyncio
import functools
import os
import sys
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import click

from aftersales.errors import AftersalesError
from aftersales.runtime import Runtime, build_runtime

T = TypeVar("T")


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


def friendly_errors(fn: Callable[..., T]) -> Callable[..., T]:
    """Turn any exception into one line on stderr and exit status 1."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        try:
            return fn(*args, **kwargs)
        except (click.exceptions.Exit, click.ClickException, SystemExit, KeyboardInterrupt):
            raise
        except AftersalesError as exc:
            _fail(str(exc))
        except Exception as exc:  # the last line of defence: no stack trace for users
            if os.environ.get("AFTERSALES_DEBUG"):
                raise
            _fail(f"{type(exc).__name__}: {exc}")
        raise AssertionError("unreachable")

    return wrapper


def run_with_runtime(work: Callable[[Runtime], Coroutine[Any, Any, T]]) -> T:
    async def main() -> T:
        runtime = build_runtime()
        try:
            return await work(runtime)
        finally:
            await runtime.close()

    return asyncio.run(main())

"""``aftersales worker``: deliver the outbox and run the other background jobs, once or until stopped."""

from __future__ import annotations

import asyncio
import logging
import signal

import click

from aftersales.cli.support import friendly_errors, run_with_runtime
from aftersales.db.base import utcnow
from aftersales.runtime import Runtime
from aftersales.worker import DEFAULT_INTERVAL_SECONDS, run_forever, run_once


@click.command()
@click.option("--once", is_flag=True, help="Run one pass over every tenant and exit.")
@click.option("--interval", type=click.FloatRange(min=0.05), default=DEFAULT_INTERVAL_SECONDS, show_default=True,
              help="Seconds to wait after a pass that found nothing to do.")
@friendly_errors
def worker(once: bool, interval: float) -> None:
    """Run the background jobs (outbox delivery, …) for every active tenant.

    Stops gracefully on SIGTERM or Ctrl-C: the pass in progress finishes, then the process exits. Several
    workers may run at once on PostgreSQL; they share the work without doing any of it twice.
    """
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    async def work(runtime: Runtime) -> None:
        if once:
            counts = await run_once(runtime, utcnow())
            click.echo(", ".join(f"{name}: {n}" for name, n in counts.items()))
            return
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        click.echo(f"worker running (a pass every {interval:g} s when idle); SIGTERM or Ctrl-C stops it")
        await run_forever(runtime, stop, interval)
        click.echo("worker stopped")

    run_with_runtime(work)

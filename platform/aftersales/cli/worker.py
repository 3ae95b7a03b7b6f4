"""``aftersales worker``: deliver the outbox and run the other background jobs, once or until stopped."""

from __future__ import annotations

import asyncio
import signal

import click

from aftersales.cli.support import friendly_errors, run_with_runtime
from aftersales.db.base import utcnow
from aftersales.observability import tracing
from aftersales.observability.logs import configure_logging
from aftersales.runtime import Runtime
from aftersales.worker import DEFAULT_INTERVAL_SECONDS, run_forever, run_once


@click.command()
@click.option("--once", is_flag=True, help="Run one pass over every tenant and exit.")
@click.option("--interval", type=click.FloatRange(min=0.05), default=DEFAULT_INTERVAL_SECONDS, show_default=True,
              help="Seconds to wait after a pass that found nothing to do.")
@click.option("--metrics-port", type=click.IntRange(1, 65535), default=None,
              help="Serve this worker's Prometheus metrics (passes, items, plugin failures) on this local port.")
@friendly_errors
def worker(once: bool, interval: float, metrics_port: int | None) -> None:
    """Run the background jobs (outbox delivery, …) for every active tenant.

    Stops gracefully on SIGTERM or Ctrl-C: the pass in progress finishes, then the process exits. Several
    workers may run at once on PostgreSQL; they share the work without doing any of it twice. Logs are JSON
    lines unless stderr is a terminal; traces are exported when an OTLP endpoint is configured.
    """
    configure_logging()
    if metrics_port is not None:
        from prometheus_client import start_http_server

        start_http_server(metrics_port, addr="127.0.0.1")

    async def work(runtime: Runtime) -> None:
        if tracing.configure():
            tracing.instrument_engines(runtime.db.engine, runtime.db.read_engine)
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

"""A localstripe process (a Stripe-compatible server for tests and the demo): started on a free port, waited
for, and stopped. localstripe accepts any test key and serves a stand-in Stripe.js at ``/js.stripe.com/v3/``."""

from __future__ import annotations

import importlib.util
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from aftersales.demo.ports import free_port

# localstripe pickles its whole store to the fixed path /tmp/localstripe.pickle on every write; ours must not
# share (or clobber) that file with other localstripe processes on the machine, so the dump is switched off.
_LAUNCH = ("import sys, localstripe.resources as r; r.Store.dump_to_disk = lambda self: None; "
           "from localstripe.server import start; sys.argv = ['localstripe', '--port', sys.argv[1], "
           "'--from-scratch']; start()")


def available() -> bool:
    """Whether the ``localstripe`` package is installed (it comes with the ``test`` extras)."""
    return importlib.util.find_spec("localstripe") is not None


def _wait_listening(port: int, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"localstripe exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.02)  # polling the port, not waiting a fixed time
    raise RuntimeError(f"localstripe did not listen on {port} within {timeout} s")


def start(timeout: float = 30.0) -> tuple[str, subprocess.Popen[bytes]]:
    """Start localstripe on a free local port; returns its base URL and the process (terminate it when done)."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-c", _LAUNCH, str(port)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        _wait_listening(port, process, timeout)
    except RuntimeError:
        process.terminate()
        raise
    return f"http://127.0.0.1:{port}", process


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a localstripe process started by :func:`start`."""
    process.terminate()
    process.wait(timeout=10)


@contextmanager
def running() -> Iterator[str]:
    """``with running() as url:`` a localstripe server for the block."""
    url, process = start()
    try:
        yield url
    finally:
        stop(process)

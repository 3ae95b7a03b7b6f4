"""Loopback ports for the demo's local services (and the tests that start the same services)."""

from __future__ import annotations

import socket


def free_port() -> int:
    """A loopback port free at the time of asking (another process could take it before it is used)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

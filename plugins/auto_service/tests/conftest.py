"""The seed companies on auto_service, as their manifests in ``tenants/`` onboard them."""

from __future__ import annotations

from pathlib import Path

import pytest

TENANTS = Path(__file__).resolve().parents[3] / "tenants"


@pytest.fixture(scope="session")
def seed_tenant(manifest_context):
    """``seed_tenant("carmax")``: the context hooks receive for ``tenants/carmax.toml``."""
    return lambda slug: manifest_context(TENANTS / f"{slug}.toml")

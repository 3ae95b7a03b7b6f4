"""The seed companies on appliances, as their manifests in ``tenants/`` onboard them."""

from __future__ import annotations

from pathlib import Path

import pytest

TENANTS = Path(__file__).resolve().parents[3] / "tenants"


@pytest.fixture(scope="session")
def seed_tenant(manifest_context):
    """``seed_tenant("entekhab")``: the context hooks receive for ``tenants/entekhab.toml``."""
    return lambda slug: manifest_context(TENANTS / f"{slug}.toml")

"""Fixtures of the acceptance journeys: the seed companies onboarded from their real manifests."""

from __future__ import annotations

from typing import Any

import pytest

from aftersales.onboarding.manifest import read_manifest_file
from aftersales.onboarding.services import onboard
from aftersales.runtime import Runtime
from aftersales.settings import REPO_ROOT
from aftersales.tenancy.current import bind_tenant


@pytest.fixture
def seed_tenant(runtime: Runtime) -> Any:
    """``await seed_tenant("mehr")`` onboards ``tenants/mehr.toml`` and returns the bound tenant."""

    async def onboard_seed(slug: str) -> Any:
        async with runtime.db.transaction(None) as session:
            record, _ = await onboard(session, runtime.plugins,
                                      read_manifest_file(REPO_ROOT / "tenants" / f"{slug}.toml"))
        return bind_tenant(record, runtime.plugins)

    return onboard_seed

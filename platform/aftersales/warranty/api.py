"""Warranty endpoints. So far: checking a serial against the tenant's vertical format rules."""

from __future__ import annotations

from litestar import Controller, post
from litestar.params import JSONBody
from pydantic import BaseModel, ConfigDict, Field

from aftersales.identity.guards import requires_scope
from aftersales.identity.scopes import SERIALS_READ
from aftersales.web.context import TOKEN_TENANT, TenantDep


class SerialFormatCheck(BaseModel):
    model_config = ConfigDict(extra="forbid")
    serial: str = Field(max_length=200)


class SerialFormatResult(BaseModel):
    valid: bool
    normalized: str
    scheme: str
    reason: str | None


class SerialController(Controller):
    path = "/api/v1/serials"
    tags = ["warranty"]
    dependencies = TOKEN_TENANT

    @post("/validate", operation_id="validateSerial", status_code=200, guards=[requires_scope(SERIALS_READ)])
    async def validate(self, data: JSONBody[SerialFormatCheck], tenant: TenantDep) -> SerialFormatResult:
        """Validate and normalise a serial by the tenant's vertical rules (IMEI, VIN, model patterns)."""
        check = tenant.hooks.aftersales_validate_serial(tenant=tenant.context, serial=data.serial, product=None)
        return SerialFormatResult(valid=check.valid, normalized=check.normalized, scheme=check.scheme, reason=check.reason)

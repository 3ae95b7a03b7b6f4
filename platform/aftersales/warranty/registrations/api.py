"""Registration, ownership transfer, coverage and claim endpoints (staff and integrators)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post, put
from litestar.params import FromPath, JSONBody
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.money import Money
from aftersales.contract.text import loaded_text
from aftersales.db.base import utcnow
from aftersales.errors import NotFound
from aftersales.http.context import TOKEN_TENANT, RuntimeDep, SessionDep, TenantDep
from aftersales.http.openapi import AS_FILED
from aftersales.identity.customers import CustomerDetails
from aftersales.identity.guards import actor, requires_scope
from aftersales.identity.models import Customer
from aftersales.identity.scopes import CLAIMS_WRITE, REGISTRATIONS_READ, REGISTRATIONS_WRITE
from aftersales.tenancy.current import CurrentTenant
from aftersales.warranty.models import Attachment, Claim, Coverage, Serial
from aftersales.warranty.registrations import claims as claim_service
from aftersales.warranty.registrations import installation
from aftersales.warranty.registrations import services as registration_service
from aftersales.warranty.registrations.attachments import attachment_path, store_attachment
from aftersales.warranty.registrations.coverage import ComponentCover, component_cover, status_on
from aftersales.warranty.registrations.schemas import (
    ClaimIn,
    ClaimOut,
    CoverageItemOut,
    CoverageOut,
    CustomerIn,
    ExchangeIn,
    ExchangeOut,
    InstallationIn,
    MoneyOut,
    OwnerOut,
    OwnershipOut,
    RegistrationIn,
    RegistrationOut,
    ResolutionOptionOut,
    TransferIn,
)
from aftersales.warranty.registrations.services import PurchaseDetails, RegisteredUnit
from aftersales.warranty.schemas import ModelSummary


def item_out(cover: ComponentCover) -> CoverageItemOut:
    return CoverageItemOut(component=cover.component, name=cover.name, covered=cover.covered,
                           covered_until=cover.covered_until, status=cover.status, reason=cover.reason)


def coverage_out(coverage: Coverage | None, tenant: CurrentTenant) -> CoverageOut | None:
    if coverage is None:
        return None
    today = tenant.today()
    items = [item_out(c) for c in component_cover(coverage.items, coverage, today)]
    return CoverageOut(
        status=status_on(coverage, today), warranty_start=coverage.warranty_start,
        warranty_end=coverage.warranty_end, parts_support_end=coverage.parts_support_end,
        return_until=coverage.return_until, exchange_until=coverage.exchange_until,
        restarts_on_exchange=coverage.restarts_on_exchange, exclusions=list(coverage.exclusions or ()),
        reasons=list(coverage.reasons or ()), items=items, cause=coverage.cause, computed_at=coverage.created_at,
    )


async def registration_out(session: AsyncSession, registered: RegisteredUnit, tenant: CurrentTenant) -> RegistrationOut:
    r = registered.registration
    owner = await session.scalar(select(Customer).where(Customer.id == r.customer_id))
    assert owner is not None  # a foreign key
    return RegistrationOut(
        id=r.id, serial=registered.unit.serial, model=ModelSummary(sku=registered.model.sku, name=registered.model.name),
        status=r.status, owner=OwnerOut(id=owner.id, name=owner.name, phone=owner.phone, email=owner.email),
        purchased_on=r.purchased_on, owned_from=r.owned_from, ended_on=r.ended_on, invoice_number=r.invoice_number,
        price=MoneyOut.of(Money(r.price_minor, r.currency)) if r.price_minor is not None else None, seller=r.seller,
        previous_id=r.previous_id, has_proof=r.proof_id is not None, installed_on=r.installed_on,
        training_signed_off_on=r.training_signed_off_on, coverage=coverage_out(registered.coverage, tenant),
    )


async def claim_out(session: AsyncSession, claim: Claim) -> ClaimOut:
    serials = {s.id: s.serial for s in await session.scalars(
        select(Serial).where(Serial.id.in_([i for i in (claim.serial_id, claim.replacement_serial_id) if i])))}
    options = None
    if claim.resolution_options is not None:
        options = [ResolutionOptionOut(
            kind=o["kind"], reason=loaded_text(o["reason"]),
            amount=MoneyOut.of(Money(o["amount_minor"], o["currency"])) if o.get("amount_minor") is not None else None,
        ) for o in claim.resolution_options]
    return ClaimOut(
        id=claim.id, registration_id=claim.registration_id, serial=serials[claim.serial_id], kind=claim.kind,
        reported_on=claim.reported_on, component=claim.facts.get("component"), decision=claim.decision, failed_conditions=list(claim.failed_conditions),
        reasons=list(claim.reasons), requires_onsite_visit=claim.requires_onsite_visit,
        arrange_by_phone_first=claim.arrange_by_phone_first, status=claim.status,
        replacement_serial=serials.get(claim.replacement_serial_id) if claim.replacement_serial_id else None,
        exchanged_on=claim.exchanged_on, resolution_options=options, facts=dict(claim.facts),
    )


def _customer(data: CustomerIn) -> CustomerDetails:
    return CustomerDetails(name=data.name, phone=data.phone, email=data.email)


class RegistrationController(Controller):
    """Purchases registered against serials, their coverage, and transfers of ownership."""

    path = "/api/v1/registrations"
    tags = ["warranty"]
    dependencies = TOKEN_TENANT

    @post("/", operation_id="registerPurchase", guards=[requires_scope(REGISTRATIONS_WRITE)])
    async def register(self, request: Request[Any, Any, Any], data: JSONBody[RegistrationIn], session: SessionDep,
                       tenant: TenantDep) -> RegistrationOut:
        """Register a purchase for a customer (found or created by phone or e-mail) and compute its coverage.
        409 when the unit already has an owner (transfer it instead) or is blocked, recalled or replaced."""
        purchase = PurchaseDetails(
            serial=data.serial, purchased_on=data.purchased_on, owner=_customer(data.owner),
            invoice_number=data.invoice_number, price=data.price, seller=data.seller,
        )
        registered = await registration_service.register_purchase(session, tenant, purchase,
                                                                  registered_by=actor(request), now=utcnow())
        return await registration_out(session, registered, tenant)

    @get("/{registration_id:uuid}", operation_id="getRegistration", guards=[requires_scope(REGISTRATIONS_READ)])
    async def get_registration(self, registration_id: FromPath[UUID], session: SessionDep,
                               tenant: TenantDep) -> RegistrationOut:
        """One registration with its owner and current coverage."""
        registered = await registration_service.get_registration(session, registration_id)
        return await registration_out(session, registered, tenant)

    @get("/{registration_id:uuid}/ownership", operation_id="getOwnershipHistory",
         guards=[requires_scope(REGISTRATIONS_READ)])
    async def ownership(self, registration_id: FromPath[UUID], session: SessionDep) -> list[OwnershipOut]:
        """Every owner of the registration's unit, oldest first."""
        registered = await registration_service.get_registration(session, registration_id)
        history = await registration_service.ownership_history(session, registered.unit)
        owners = {c.id: c.name for c in await session.scalars(
            select(Customer).where(Customer.id.in_([r.customer_id for r in history])))}
        return [OwnershipOut(registration_id=r.id, status=r.status, owner_name=owners[r.customer_id],
                             owned_from=r.owned_from, ended_on=r.ended_on) for r in history]

    @post("/{registration_id:uuid}/transfer", operation_id="transferOwnership",
          guards=[requires_scope(REGISTRATIONS_WRITE)])
    async def transfer(self, request: Request[Any, Any, Any], registration_id: FromPath[UUID],
                       data: JSONBody[TransferIn], session: SessionDep, tenant: TenantDep) -> RegistrationOut:
        """Hand the unit to a new owner: this registration ends and the new one carries the warranty on."""
        registered = await registration_service.transfer_ownership(
            session, tenant, registration_id, _customer(data.new_owner), data.transferred_on,
            registered_by=actor(request))
        return await registration_out(session, registered, tenant)

    @put("/{registration_id:uuid}/installation", operation_id="recordInstallation", status_code=200,
         guards=[requires_scope(REGISTRATIONS_WRITE)])
    async def record_installation(self, registration_id: FromPath[UUID], data: JSONBody[InstallationIn],
                                  session: SessionDep, tenant: TenantDep) -> RegistrationOut:
        """Record when the unit was installed or commissioned; the warranty is decided again (terms that start
        at installation start there) and the new coverage is returned. 409 when the registration has ended."""
        registered = await installation.record_installation(session, tenant, registration_id, data.installed_on,
                                                            now=utcnow())
        return await registration_out(session, registered, tenant)

    @put("/{registration_id:uuid}/proof", operation_id="attachProofOfPurchase", status_code=200,
         guards=[requires_scope(REGISTRATIONS_WRITE)], request_max_body_size=11 * 1024 * 1024)
    async def attach_proof(self, request: Request[Any, Any, Any], registration_id: FromPath[UUID],
                           session: SessionDep, tenant: TenantDep, runtime: RuntimeDep) -> RegistrationOut:
        """Attach the proof of purchase (the raw PDF, JPEG or PNG as the body, at most 10 MiB)."""
        registered = await registration_service.get_registration(session, registration_id)
        content = await request.body()
        filename = request.headers.get("x-filename", "proof")
        attachment = await store_attachment(session, runtime.settings.data_dir, tenant.record.id, content,
                                            request.headers.get("content-type", ""), filename)
        registered.registration.proof_id = attachment.id
        await session.flush()
        return await registration_out(session, registered, tenant)

    @get("/{registration_id:uuid}/proof", operation_id="getProofOfPurchase",
         guards=[requires_scope(REGISTRATIONS_READ)], responses=AS_FILED)
    async def get_proof(self, registration_id: FromPath[UUID], session: SessionDep, tenant: TenantDep,
                        runtime: RuntimeDep) -> Response[bytes]:
        """The proof of purchase as it was handed in."""
        registered = await registration_service.get_registration(session, registration_id)
        proof_id = registered.registration.proof_id
        attachment = await session.scalar(select(Attachment).where(Attachment.id == proof_id)) if proof_id else None
        if attachment is None:
            raise NotFound("this registration has no proof of purchase")
        content = attachment_path(runtime.settings.data_dir, tenant.record.id, attachment.sha256).read_bytes()
        return Response(content, media_type=attachment.content_type,
                        headers={"content-disposition": f'attachment; filename="{attachment.filename}"'})

    @get("/{registration_id:uuid}/claims", operation_id="listClaimsOfRegistration",
         guards=[requires_scope(REGISTRATIONS_READ)])
    async def claims(self, registration_id: FromPath[UUID], session: SessionDep) -> list[ClaimOut]:
        """Every claim against the registration, oldest first."""
        await registration_service.get_registration(session, registration_id)
        return [await claim_out(session, c) for c in await claim_service.claims_of(session, registration_id)]


class ClaimController(Controller):
    """Claims against registrations: filed with their facts, decided by the tenant's vertical."""

    path = "/api/v1/claims"
    tags = ["warranty"]
    dependencies = TOKEN_TENANT

    @post("/", operation_id="fileClaim", guards=[requires_scope(CLAIMS_WRITE)])
    async def file(self, request: Request[Any, Any, Any], data: JSONBody[ClaimIn], session: SessionDep,
                   tenant: TenantDep) -> ClaimOut:
        """File a claim and get the decision at once: return, exchange, free or paid repair, or reject, with
        every failed condition listed. A refused claim is still recorded (201) with its reasons."""
        claim, _ = await claim_service.file_claim(session, tenant, data.registration_id, data.report(),
                                                  filed_by=actor(request))
        return await claim_out(session, claim)

    @get("/{claim_id:uuid}", operation_id="getClaim", guards=[requires_scope(REGISTRATIONS_READ)])
    async def get_claim(self, claim_id: FromPath[UUID], session: SessionDep) -> ClaimOut:
        """One claim with its facts and decision."""
        return await claim_out(session, await claim_service.get_claim(session, claim_id))

    @post("/{claim_id:uuid}/exchange", operation_id="completeExchange", status_code=200,
          guards=[requires_scope(CLAIMS_WRITE)])
    async def exchange(self, claim_id: FromPath[UUID], data: JSONBody[ExchangeIn], session: SessionDep,
                       tenant: TenantDep) -> ExchangeOut:
        """Hand over the replacement of an accepted exchange: the faulty serial is marked replaced, the
        registration moves to the replacement, and the warranty is recomputed (restarting where the terms say)."""
        claim, registered = await claim_service.complete_exchange(session, tenant, claim_id, data.replacement_serial,
                                                                  data.exchanged_on, now=utcnow())
        return ExchangeOut(claim=await claim_out(session, claim),
                           registration=await registration_out(session, registered, tenant))


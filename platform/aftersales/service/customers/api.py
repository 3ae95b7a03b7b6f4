"""Customer endpoints for agents: find a customer by phone, e-mail or name, and read or export their file."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from litestar import Controller, Response, get
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, FromQuery, QueryParameter
from pydantic import BaseModel
from sqlalchemy import func, or_, select

from aftersales.errors import FieldError, InvalidInput, NotFound
from aftersales.http.context import TOKEN_TENANT, SessionDep, TenantDep
from aftersales.http.date_windows import check_filters
from aftersales.http.openapi import JsonOrCsvOperation
from aftersales.http.paging import DEFAULT_LIMIT, Page, check_limit, decode_cursor, invalid_cursor, split_page
from aftersales.identity.customers import normalise_contacts
from aftersales.identity.guards import requires_scope
from aftersales.identity.models import Customer
from aftersales.identity.scopes import REGISTRATIONS_READ
from aftersales.service.customers.services import Activity, as_csv, as_json, customer_file


class CustomerOut(BaseModel):
    id: UUID
    name: str
    phone: str | None
    email: str | None
    created_at: datetime


def customer_out(c: Customer) -> CustomerOut:
    return CustomerOut(id=c.id, name=c.name, phone=c.phone, email=c.email, created_at=c.created_at)


class CustomerController(Controller):
    """A tenant's customers and their files; contact details need ``registrations:read``."""

    path = "/api/v1/customers"
    tags = ["customers"]
    dependencies = TOKEN_TENANT

    @get("/", operation_id="findCustomers", guards=[requires_scope(REGISTRATIONS_READ)])
    async def find(self, session: SessionDep, tenant: TenantDep, phone: FromQuery[str | None] = None,
                   email: FromQuery[str | None] = None, name: FromQuery[str | None] = None,
                   limit: FromQuery[int] = DEFAULT_LIMIT, cursor: FromQuery[str | None] = None) -> Page[CustomerOut]:
        """Customers by phone (any way it is typed, read in the tenant's country), e-mail or part of the name."""
        query = select(Customer).order_by(Customer.created_at.desc(), Customer.id.desc()).limit(check_limit(limit) + 1)
        if phone or email:
            errors: list[FieldError] = []
            normal_phone, normal_email = normalise_contacts(phone, email, tenant.context.country, "", errors)
            if errors:
                raise InvalidInput("cannot search so", errors)
            matches = [Customer.phone == normal_phone] if normal_phone else []
            matches += [Customer.email == normal_email] if normal_email else []
            query = query.where(or_(*matches))
        if name:
            query = query.where(func.lower(Customer.name).contains(name.strip().lower(), autoescape=True))
        if cursor is not None:
            created, last_id = decode_cursor(cursor, 2)
            if not isinstance(created, str) or not isinstance(last_id, str):
                raise invalid_cursor()
            try:
                at, before = datetime.fromisoformat(created), UUID(last_id)
            except ValueError:
                raise invalid_cursor() from None
            query = query.where(or_(Customer.created_at < at, (Customer.created_at == at) & (Customer.id < before)))
        rows, next_cursor = split_page(list(await session.scalars(query)), limit,
                                       lambda c: (c.created_at.isoformat(), str(c.id)))
        return Page[CustomerOut](items=[customer_out(c) for c in rows], next_cursor=next_cursor)

    @get("/{customer_id:uuid}", operation_id="getCustomer", guards=[requires_scope(REGISTRATIONS_READ)])
    async def get_customer(self, customer_id: FromPath[UUID], session: SessionDep) -> CustomerOut:
        """One customer's contact details."""
        customer = await session.scalar(select(Customer).where(Customer.id == customer_id))
        if customer is None:
            raise NotFound("no such customer")
        return customer_out(customer)

    @get("/{customer_id:uuid}/file", operation_id="getCustomerFile", guards=[requires_scope(REGISTRATIONS_READ)],
         responses={200: ResponseSpec(list[Activity], description="The activities (JSON), or CSV with format=csv")},
         operation_class=JsonOrCsvOperation)
    async def file(self, customer_id: FromPath[UUID], session: SessionDep,
                   kind: Annotated[list[str] | None, QueryParameter(name="kind")] = None,
                   since: FromQuery[datetime | None] = None, until: FromQuery[datetime | None] = None,
                   export: Annotated[Literal["json", "csv"], QueryParameter(name="format")] = "json") -> Response[str]:
        """Every activity of the customer, oldest first: ``kind`` (repeatable) narrows to registrations, claims,
        requests, holds …; ``since``/``until`` to a time range; ``format=csv`` downloads a spreadsheet."""
        check_filters(since=since, until=until)
        activities = await customer_file(session, customer_id, kinds=kind or (), since=since, until=until)
        if export == "csv":
            return Response(as_csv(activities), media_type="text/csv; charset=utf-8", headers={
                "Content-Disposition": f'attachment; filename="customer-{customer_id}.csv"'})
        return Response(as_json(activities), media_type="application/json")

"""The declarative base and the two kinds of table.

* :class:`TenantOwned` rows belong to one tenant: ``tenant_id`` leads the primary key, and every foreign key
  and unique constraint between tenant tables must include it (``tests/test_schema_keys.py`` enforces this).
  That keeps every tenant's rows co-located when the tables are distributed by ``tenant_id`` (Citus), and
  makes a cross-tenant reference impossible to express.
* :class:`PlatformTable` rows belong to the platform (the tenant directory, operators, API client directory,
  signing keys). Each says in its docstring why it is platform-level.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

import uuid6
from sqlalchemy import DateTime, ForeignKey, MetaData, TypeDecorator, Uuid
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_id() -> uuid.UUID:
    """A time-ordered UUIDv7: unique without coordination, and index-friendly (new keys append)."""
    return uuid6.uuid7()


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always returned timezone-aware (SQLite keeps no zone of its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: aftersales stores aware UTC times only")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value


class Base(DeclarativeBase):
    """Declarative base of every aftersales table."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime, uuid.UUID: Uuid}


class PlatformTable:
    """Marker for platform-level tables (no tenant_id by design)."""


class TenantOwned:
    """Mixin for tenant-owned tables: primary key ``(tenant_id, id)``; reads filtered and inserts stamped by
    the session (:mod:`aftersales.db.session`), and on PostgreSQL guarded again by row-level security."""

    @declared_attr
    def tenant_id(cls) -> Mapped[uuid.UUID]:  # noqa: N805 - declared_attr takes the class
        return mapped_column(Uuid, ForeignKey("tenants.id"), primary_key=True, sort_order=-10)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id, sort_order=-9)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

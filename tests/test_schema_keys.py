"""The key rule that keeps tenants apart and the tables distributable by tenant_id (see docs/scaling.md)."""

from __future__ import annotations

from sqlalchemy import Index, UniqueConstraint

import aftersales.tables  # noqa: F401 - registers every table
from aftersales.db.base import Base, PlatformTable, TenantOwned

PLATFORM_TABLES = {"tenants", "operators", "api_clients", "operator_sessions"}


def _classes():
    return [m.class_ for m in Base.registry.mappers]


def test_every_table_is_either_tenant_owned_or_declared_platform_level():
    for cls in _classes():
        owned, platform = issubclass(cls, TenantOwned), issubclass(cls, PlatformTable)
        assert owned != platform, f"{cls.__name__} must be exactly one of TenantOwned or PlatformTable"
    platform_tables = {c.__tablename__ for c in _classes() if issubclass(c, PlatformTable)}
    assert platform_tables == PLATFORM_TABLES, "a new platform-level table needs a reason in its docstring and here"


def test_platform_tables_say_why_they_are_platform_level():
    for cls in _classes():
        if issubclass(cls, PlatformTable):
            assert "by design" in (cls.__doc__ or ""), f"{cls.__name__} must say why it is platform-level"


def test_tenant_tables_lead_their_primary_key_with_tenant_id():
    for cls in _classes():
        if issubclass(cls, TenantOwned):
            table = cls.__table__
            pk = [c.name for c in table.primary_key.columns]
            assert pk[0] == "tenant_id", f"{table.name}: primary key {pk} must start with tenant_id"
            assert not table.c.tenant_id.nullable


def test_foreign_keys_between_tenant_tables_include_tenant_id():
    tenant_tables = {c.__tablename__ for c in _classes() if issubclass(c, TenantOwned)}
    for cls in _classes():
        if not issubclass(cls, TenantOwned):
            continue
        for fk in cls.__table__.foreign_key_constraints:
            if fk.referred_table.name in tenant_tables:
                assert "tenant_id" in fk.column_keys, f"{cls.__tablename__}: FK {fk.column_keys} lacks tenant_id"


def test_unique_constraints_and_indexes_of_tenant_tables_include_tenant_id():
    for cls in _classes():
        if not issubclass(cls, TenantOwned):
            continue
        table = cls.__table__
        for constraint in table.constraints:
            if isinstance(constraint, UniqueConstraint):
                assert "tenant_id" in constraint.columns.keys(), f"{table.name}: unique {constraint.columns.keys()}"
        for index in table.indexes:
            if isinstance(index, Index) and index.unique:
                assert "tenant_id" in [c.name for c in index.columns], f"{table.name}: unique index {index.name}"
        for column in table.columns:
            assert not (column.unique and column.name != "tenant_id"), f"{table.name}.{column.name} unique alone"

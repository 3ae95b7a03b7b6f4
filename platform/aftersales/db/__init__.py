"""Database access: the declarative base, tenant-bound sessions and PostgreSQL row-level security."""

from aftersales.db.base import Base, PlatformTable, TenantOwned, new_id
from aftersales.db.session import Database

__all__ = ["Base", "Database", "PlatformTable", "TenantOwned", "new_id"]

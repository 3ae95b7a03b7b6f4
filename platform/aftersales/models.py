"""Every table of the platform, imported in one place (for Alembic, the schema tests and ``create_all``)."""

from aftersales.identity.models import ApiClient, Customer, Operator, StaffUser
from aftersales.tenancy.models import Tenant

__all__ = ["ApiClient", "Customer", "Operator", "StaffUser", "Tenant"]

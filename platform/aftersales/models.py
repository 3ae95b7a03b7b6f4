"""Every table of the platform, imported in one place (for Alembic, the schema tests and ``create_all``)."""

from aftersales.identity.models import ApiClient, Customer, Operator, StaffUser
from aftersales.service.models import RequestEvent, ServiceRequest
from aftersales.tenancy.models import Tenant
from aftersales.warranty.models import ProductModel, Serial, SerialCheck

__all__ = ["ApiClient", "Customer", "Operator", "ProductModel", "RequestEvent", "Serial", "SerialCheck", "ServiceRequest",
           "StaffUser", "Tenant"]

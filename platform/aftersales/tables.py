"""Every table of the platform, imported in one place (for Alembic, the schema tests and ``create_all``)."""

from aftersales.dispatch.models import Technician, TechnicianAuthorisation, Visit
from aftersales.disputes.models import Dispute, DisputeNote
from aftersales.identity.models import (
    ApiClient,
    Customer,
    Operator,
    OperatorSession,
    PageSession,
    SignInCode,
    SsoAttempt,
    StaffUser,
)
from aftersales.identity.rate_limits import RateCounter
from aftersales.marketplace.models import (
    BookedSlot,
    Booking,
    ChangeRequest,
    CustomerRatingTotal,
    JobCharge,
    Offering,
    Provider,
    ProviderDocument,
    ProviderException,
    ProviderHours,
    ProviderLocation,
    ProviderOffering,
    Quote,
    Rating,
    WorkItem,
)
from aftersales.orders.fulfilment.models import DeliveryChange, FestivalCard, Fulfilment, Warehouse
from aftersales.orders.models import Order, OrderCounter, OrderInstalment, OrderLine, ProForma
from aftersales.outbox.models import OutboxMessage
from aftersales.parts.models import (
    StockLocation,
    StockMinimum,
    StockMovement,
    StockReservation,
)
from aftersales.payments.ledger.models import LedgerEntry, Payment, Wallet
from aftersales.payments.refunds.models import CustomerIdentity, Refund, RefundEvent
from aftersales.payments.stripe.models import StripeAccount, StripeEvent
from aftersales.service.followups.models import FollowUp, FollowUpFailure, TrainingSignOff
from aftersales.service.models import (
    Complaint,
    RequestEvent,
    RequestHold,
    ServicePoint,
    ServiceRequest,
    SlaClock,
)
from aftersales.service.quotes.models import PartPrice, ServiceQuote
from aftersales.tenancy.models import Tenant
from aftersales.warranty.models import ProductModel, Serial, SerialCheck
from aftersales.warranty.recalls.models import RecallCampaign, RecallUnit  # noqa: F401

__all__ = [
    "ApiClient",
    "BookedSlot",
    "Booking",
    "ChangeRequest",
    "Complaint",
    "Customer",
    "CustomerIdentity",
    "CustomerRatingTotal",
    "DeliveryChange",
    "Dispute",
    "DisputeNote",
    "FestivalCard",
    "FollowUp",
    "FollowUpFailure",
    "Fulfilment",
    "JobCharge",
    "LedgerEntry",
    "Offering",
    "Operator",
    "OperatorSession",
    "Order",
    "OrderCounter",
    "OrderInstalment",
    "OrderLine",
    "OutboxMessage",
    "PageSession",
    "PartPrice",
    "Payment",
    "ProForma",
    "ProductModel",
    "Provider",
    "ProviderDocument",
    "ProviderException",
    "ProviderHours",
    "ProviderLocation",
    "ProviderOffering",
    "Quote",
    "RateCounter",
    "Rating",
    "Refund",
    "RefundEvent",
    "RequestEvent",
    "RequestHold",
    "Serial",
    "SerialCheck",
    "ServicePoint",
    "ServiceQuote",
    "ServiceRequest",
    "SignInCode",
    "SlaClock",
    "SsoAttempt",
    "StaffUser",
    "StockLocation",
    "StockMinimum",
    "StockMovement",
    "StockReservation",
    "StripeAccount",
    "StripeEvent",
    "Tenant",
    "Technician",
    "TechnicianAuthorisation",
    "TrainingSignOff",
    "Visit",
    "Wallet",
    "Warehouse",
    "WorkItem",
]

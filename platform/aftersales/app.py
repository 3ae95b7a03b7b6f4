"""The Litestar application factory: every route, dependency, guard and error handler is wired here."""

from __future__ import annotations

import gc

from litestar import Litestar
from litestar.datastructures import State
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme

from aftersales import __version__
from aftersales.identity.api import OAuthController, SignInController, TenantIdentityController
from aftersales.identity.guards import BearerTokenMiddleware
from aftersales.marketplace.booking_api import BookingController
from aftersales.marketplace.catalogue_api import OfferingController
from aftersales.marketplace.change_api import ChangeRequestController
from aftersales.marketplace.charge_api import ChargeController
from aftersales.marketplace.provider_api import ProviderController
from aftersales.marketplace.quote_api import PartPriceController, QuoteController
from aftersales.marketplace.rating_api import RatingController
from aftersales.marketplace.schedule_api import ScheduleController
from aftersales.marketplace.search_api import ProviderSearchController
from aftersales.outbox.api import OutboxController, WebhookController
from aftersales.payments.customer_identity_api import CustomerIdentityController
from aftersales.payments.payment_api import PaymentController
from aftersales.payments.refund_api import RefundController
from aftersales.payments.settlement_api import SettlementController
from aftersales.payments.stripe_account_api import StripeAccountController
from aftersales.payments.stripe_webhook_api import StripeWebhookController
from aftersales.payments.wallet_api import WalletController
from aftersales.runtime import Runtime, build_runtime
from aftersales.service.api import ServiceRequestController
from aftersales.service.complaint_api import ComplaintController
from aftersales.service.customer_api import CustomerController
from aftersales.service.followup_api import (
    FollowUpController,
    PublicSurveyController,
    TrainingSignOffController,
)
from aftersales.service.service_point_api import ServicePointController
from aftersales.tenancy.api import OperatorController, TenantSelfController
from aftersales.warranty.api import CatalogController, PublicWarrantyController, SerialController
from aftersales.warranty.import_api import SerialImportController
from aftersales.warranty.recall_api import PublicRecallController, RecallController
from aftersales.warranty.registration_api import ClaimController, RegistrationController
from aftersales.web.context import DEPENDENCIES
from aftersales.web.health import health
from aftersales.web.page_auth import csrf_config
from aftersales.web.portal.plugin import PortalPlugin
from aftersales.web.problems import EXCEPTION_HANDLERS
from aftersales.web.sign_out import OperatorSignOutController, SignOutController
from aftersales.worker import embedded_worker


def freeze_startup_objects() -> None:
    """Move everything built at start-up (routes, plugins, mappers, catalogues) out of the garbage collector's
    sight, once per process. The application holds ~240,000 long-lived objects; without this, every full
    collection walks them all, a pause of ~145 ms in the middle of some request (the lookup benchmark's p99).
    Request garbage is collected as before. Only the first start-up in a process freezes: a process that
    starts app after app (the test suite) would otherwise freeze each one's leftovers for good."""
    if gc.get_freeze_count():
        return
    gc.collect()
    gc.freeze()


def create_app(runtime: Runtime | None = None) -> Litestar:
    """Build the application around ``runtime`` (default: built from the environment)."""
    runtime = runtime or build_runtime()

    async def close_runtime() -> None:
        await runtime.close()

    return Litestar(
        route_handlers=[
            health,
            OAuthController,
            SignInController,
            TenantIdentityController,
            TenantSelfController,
            OperatorController,
            SerialController,
            SerialImportController,
            CatalogController,
            PublicWarrantyController,
            RegistrationController,
            ClaimController,
            ServiceRequestController,
            CustomerController,
            ServicePointController,
            RecallController,
            PublicRecallController,
            ComplaintController,
            WebhookController,
            OutboxController,
            FollowUpController,
            TrainingSignOffController,
            PublicSurveyController,
            BookingController,
            RatingController,
            PaymentController,
            WalletController,
            SettlementController,
            OfferingController,
            ProviderController,
            ScheduleController,
            PartPriceController,
            QuoteController,
            ChangeRequestController,
            ChargeController,
            ProviderSearchController,
            RefundController,
            CustomerIdentityController,
            StripeAccountController,
            StripeWebhookController,
            SignOutController,
            OperatorSignOutController,
        ],
        dependencies=DEPENDENCIES,
        exception_handlers=EXCEPTION_HANDLERS,
        middleware=[BearerTokenMiddleware],
        csrf_config=csrf_config(runtime),
        plugins=[PortalPlugin()],
        state=State({"runtime": runtime}),
        lifespan=[embedded_worker],
        on_startup=[freeze_startup_objects],
        on_shutdown=[close_runtime],
        openapi_config=OpenAPIConfig(
            title="aftersales API",
            version=__version__,
            path="/schema",
            components=Components(
                security_schemes={
                    "bearer": SecurityScheme(type="http", scheme="bearer", bearer_format="JWT",
                                             description="Access token from /oauth/token or a sign-in endpoint"),
                }
            ),
            security=[{"bearer": []}],
        ),
        debug=False,
    )

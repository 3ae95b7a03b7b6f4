"""The Litestar application factory: every route, dependency, guard and error handler is wired here."""

from __future__ import annotations

import gc

from litestar import Litestar
from litestar.datastructures import State

from aftersales import __version__
from aftersales.accounts.api import OAuthController, SignInController, TenantIdentityController
from aftersales.contract import Message
from aftersales.dispatch.api import DispatchPlanController, TechnicianController, VisitController
from aftersales.disputes.api import DisputeController
from aftersales.http.context import DEPENDENCIES
from aftersales.http.control_characters import ControlCharacterMiddleware
from aftersales.http.forwarded import forwarded_headers
from aftersales.http.language import ReaderMiddleware, say
from aftersales.http.openapi import ApiContract, api_document
from aftersales.http.problems import exception_handlers
from aftersales.i18n import catalogues
from aftersales.identity.guards import BearerTokenMiddleware
from aftersales.marketplace.availability.api import ScheduleController
from aftersales.marketplace.bookings.api import BookingController
from aftersales.marketplace.catalogue.api import OfferingController
from aftersales.marketplace.changes.api import ChangeRequestController
from aftersales.marketplace.charges.api import ChargeController
from aftersales.marketplace.providers.api import ProviderController
from aftersales.marketplace.quotes.api import PartPriceController, QuoteController
from aftersales.marketplace.ratings.api import RatingController
from aftersales.marketplace.search.api import ProviderSearchController
from aftersales.marketplace.settlement.api import SettlementController
from aftersales.observability import tracing
from aftersales.observability.logs import configure_logging
from aftersales.observability.requests import observe_requests
from aftersales.onboarding.api import OperatorController, TenantSelfController
from aftersales.orders.api import OrderController
from aftersales.orders.fulfilment.api import FulfilmentController, WarehouseController
from aftersales.outbox.api import OutboxController, WebhookController, WebhookEventController
from aftersales.parts.api import (
    MinimumController,
    ReservationController,
    StockController,
    StockLocationController,
)
from aftersales.payments.customer_payments.api import PaymentController
from aftersales.payments.refunds.api import RefundController
from aftersales.payments.refunds.identity_api import CustomerIdentityController
from aftersales.payments.stripe.api import StripeAccountController
from aftersales.payments.stripe_events.api import StripeWebhookController
from aftersales.payments.wallet.api import WalletController
from aftersales.runtime import Runtime, build_runtime
from aftersales.service.complaints.api import ComplaintController
from aftersales.service.customers.api import CustomerController
from aftersales.service.followups.api import (
    FollowUpController,
    PublicSurveyController,
    TrainingSignOffController,
)
from aftersales.service.quotes.api import ServiceQuoteController
from aftersales.service.requests.api import ServiceRequestController
from aftersales.service.requests.replacement import ReplacementOfferController
from aftersales.service.service_points import ServicePointController
from aftersales.warranty.api import CatalogController, PublicWarrantyController, SerialController
from aftersales.warranty.imports.api import SerialImportController
from aftersales.warranty.recalls.api import PublicRecallController, RecallController
from aftersales.warranty.registrations.api import ClaimController, RegistrationController
from aftersales.web.health import health
from aftersales.web.metrics import metrics
from aftersales.web.page_auth import SignInRequired, csrf_config
from aftersales.web.page_errors import page_answer, sign_in_redirect
from aftersales.web.pages import PagesPlugin
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
    """Build the application around ``runtime`` (default: built from the environment).

    Every request passes first through :func:`~aftersales.observability.requests.observe_requests` (request id,
    metrics, access log); when tracing is configured, Litestar's OpenTelemetry plugin and the engines' statement
    spans are added (:mod:`aftersales.observability.tracing`)."""
    runtime = runtime or build_runtime()
    if tracing.configure():
        tracing.instrument_engines(runtime.db.engine, runtime.db.read_engine)
    catalogues.load({catalogues.domain_of(plugin) for _, plugin in runtime.plugins.pm.list_name_plugin()})

    async def close_runtime() -> None:
        await runtime.close()

    app = Litestar(
        route_handlers=[
            health,
            metrics,
            OAuthController,
            SignInController,
            TenantIdentityController,
            TenantSelfController,
            OperatorController,
            SerialController,
            SerialImportController,
            CatalogController,
            OrderController,
            PublicWarrantyController,
            RegistrationController,
            ClaimController,
            ServiceRequestController,
            ReplacementOfferController,
            ServiceQuoteController,
            CustomerController,
            ServicePointController,
            RecallController,
            PublicRecallController,
            ComplaintController,
            WebhookController,
            WebhookEventController,
            OutboxController,
            FollowUpController,
            TrainingSignOffController,
            PublicSurveyController,
            BookingController,
            WarehouseController,
            FulfilmentController,
            TechnicianController,
            VisitController,
            DispatchPlanController,
            StockLocationController,
            ReservationController,
            MinimumController,
            StockController,
            RatingController,
            DisputeController,
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
        ],
        dependencies=DEPENDENCIES,
        exception_handlers={SignInRequired: sign_in_redirect, **exception_handlers(page_answer)},
        middleware=[*forwarded_headers(runtime.settings), *tracing.route_naming(), ReaderMiddleware,
                    ControlCharacterMiddleware, BearerTokenMiddleware],
        type_encoders={Message: say},
        csrf_config=csrf_config(runtime),
        plugins=[PagesPlugin(), ApiContract(), *tracing.litestar_plugins()],
        state=State({"runtime": runtime}),
        lifespan=[embedded_worker],
        on_startup=[freeze_startup_objects],
        on_shutdown=[close_runtime],
        openapi_config=api_document(__version__),
        debug=False,
        logging_config=None,  # the process's logging is aftersales.observability.logs', set up by the command
    )
    app.asgi_handler = observe_requests(app.asgi_handler)
    return app


def served_app() -> Litestar:
    """The application ``aftersales serve`` runs, built in the serving process (a reloading server's child too)
    with its structured logs (:func:`~aftersales.observability.logs.configure_logging`)."""
    configure_logging()
    return create_app()

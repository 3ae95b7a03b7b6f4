"""Wires every page into the application: the portal, the staff console and the operator console, with their
templates, static files and compiled catalogues."""

from __future__ import annotations

from litestar import Router
from litestar.config.app import AppConfig
from litestar.plugins import InitPluginProtocol
from litestar.static_files import create_static_files_router

from aftersales.web.console.customers_pages import ConsoleCustomerController
from aftersales.web.console.dispatch.board import ConsoleDispatchBoardController
from aftersales.web.console.dispatch.day_sheet import ConsoleDaySheetController
from aftersales.web.console.dispatch.technicians_page import ConsoleTechniciansController
from aftersales.web.console.disputes_pages import ConsoleDisputeController
from aftersales.web.console.insight.clones import ClonePagesController
from aftersales.web.console.insight.dashboard import DashboardController
from aftersales.web.console.insight.imports import ImportController
from aftersales.web.console.insight.recall_actions import RecallActionsController
from aftersales.web.console.insight.recalls import RecallPagesController
from aftersales.web.console.orders.desk import ConsoleOrderDeskController
from aftersales.web.console.orders.fulfilment_actions import ConsoleFulfilmentActionController
from aftersales.web.console.orders.new_order import ConsoleNewOrderController
from aftersales.web.console.orders.order_actions import ConsoleOrderActionController
from aftersales.web.console.orders.order_page import ConsoleOrderController
from aftersales.web.console.orders.warehouses_page import ConsoleWarehousesController
from aftersales.web.console.providers_pages import ConsoleProviderController
from aftersales.web.console.refunds_pages import ConsoleRefundController
from aftersales.web.console.requests_pages import ConsoleRequestController
from aftersales.web.console.unit_pages import ConsoleUnitMovesController
from aftersales.web.console.stock.catalogue_page import ConsolePartsCatalogueController
from aftersales.web.console.stock.import_page import ConsoleStockImportController
from aftersales.web.console.stock.levels_page import ConsoleStockController
from aftersales.web.console.stock.movements_page import ConsoleStockLedgerController
from aftersales.web.console.stock.reservations_page import ConsoleStockReservationsController
from aftersales.web.console.stock.returns_page import ConsoleReturnBatchesController
from aftersales.web.console.units_pages import ConsoleUnitController
from aftersales.web.console.webhooks_pages import ConsoleWebhookController
from aftersales.web.i18n.catalogues import compile_all
from aftersales.web.ops.directory import OpsTenantsController
from aftersales.web.ops.onboarding import OpsOnboardingController
from aftersales.web.page_controller import PageController
from aftersales.web.portal.account.complaints import ComplaintsController
from aftersales.web.portal.account.devices import DevicesController
from aftersales.web.portal.account.disputes import DisputesController
from aftersales.web.portal.account.public_survey import PublicSurveyPageController
from aftersales.web.portal.account.requests import RequestsController
from aftersales.web.portal.account.surveys import SurveysController
from aftersales.web.portal.booking.book_pages import BookProviderController
from aftersales.web.portal.booking.my_pages import MyBookingsController
from aftersales.web.portal.booking.search_pages import BookingSearchController
from aftersales.web.portal.check import PortalCheckController
from aftersales.web.portal.orders.pages import MyOrdersController
from aftersales.web.portal.pay.job import PayJobController
from aftersales.web.portal.pay.payments import MyPaymentsController
from aftersales.web.portal.pay.refunds import MyRefundsController
from aftersales.web.portal.pay.wallet import MyWalletController
from aftersales.web.portal.rendering import STATIC_DIR, STATIC_PATH, TENANT_PATH, template_config
from aftersales.web.sign_out import OperatorSignOutController, SignOutController
from aftersales.web.signin.codes import CodeSignInController
from aftersales.web.signin.passwords import OperatorSignInController, StaffSignInController
from aftersales.web.signin.sso import SsoSignInController

TENANT_PAGES: list[type[PageController]] = [
    PortalCheckController,
    DevicesController, RequestsController, ComplaintsController, SurveysController, DisputesController,
    PublicSurveyPageController,
    CodeSignInController, StaffSignInController, SsoSignInController,
    BookingSearchController,
    BookProviderController,
    MyBookingsController,
    PayJobController,
    MyPaymentsController,
    MyRefundsController,
    MyWalletController,
    MyOrdersController,
    ConsoleRequestController,
    ConsoleCustomerController,
    ConsoleUnitController, ConsoleUnitMovesController,
    ConsoleRefundController,
    ConsoleProviderController,
    ConsoleWebhookController,
    ConsoleDisputeController,
    ConsoleOrderDeskController,
    ConsoleNewOrderController,
    ConsoleOrderController,
    ConsoleOrderActionController,
    ConsoleFulfilmentActionController,
    ConsoleWarehousesController,
    ConsoleStockController,
    ConsoleStockLedgerController,
    ConsoleStockReservationsController,
    ConsoleStockImportController,
    ConsoleReturnBatchesController,
    ConsolePartsCatalogueController,
    ConsoleDispatchBoardController,
    ConsoleTechniciansController,
    ConsoleDaySheetController,
    DashboardController,
    ImportController,
    ClonePagesController,
    RecallActionsController,
    RecallPagesController,
    SignOutController,
]
"""The portal's and the staff console's pages, each served twice: on the tenant's own host (``/my/devices``)
and under ``/t/{slug}`` (``/t/{tenant_slug}/my/devices``, local use and demos), ``tenant_slug`` naming the
tenant."""
OPERATOR_PAGES: list[type[PageController]] = [
    OpsTenantsController, OpsOnboardingController, OperatorSignInController, OperatorSignOutController,
]
"""The operator console's pages, under ``/ops`` on any host."""


class PagesPlugin(InitPluginProtocol):
    """Adds every page to the app (``plugins=[PagesPlugin()]`` in the app factory)."""

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        compile_all()
        app_config.template_config = template_config()
        app_config.route_handlers.extend([
            *TENANT_PAGES,
            Router(TENANT_PATH, route_handlers=TENANT_PAGES),
            *OPERATOR_PAGES,
            create_static_files_router(path=STATIC_PATH, directories=[STATIC_DIR], name="portal-static"),
        ])
        return app_config

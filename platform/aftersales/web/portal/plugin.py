"""Wires the portal into the application: its routes, templates, static files and compiled catalogues."""

from __future__ import annotations

from litestar.config.app import AppConfig
from litestar.plugins import InitPluginProtocol
from litestar.static_files import create_static_files_router

from aftersales.web.i18n.catalogues import compile_all
from aftersales.web.insight.clones import ClonePagesController
from aftersales.web.insight.dashboard import DashboardController
from aftersales.web.insight.imports import ImportController
from aftersales.web.insight.recalls import RecallPagesController
from aftersales.web.portal.check import PortalCheckController
from aftersales.web.portal.rendering import STATIC_DIR, STATIC_PATH, template_config


class PortalPlugin(InitPluginProtocol):
    """Adds the customer portal to the app (``plugins=[PortalPlugin()]`` in the app factory)."""

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        compile_all()
        app_config.template_config = template_config()
        app_config.route_handlers.extend([
            PortalCheckController,
            DashboardController,
            ImportController,
            ClonePagesController,
            RecallPagesController,
            create_static_files_router(path=STATIC_PATH, directories=[STATIC_DIR], name="portal-static"),
        ])
        return app_config

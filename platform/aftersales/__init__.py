"""aftersales: a multi-tenant after-sales service platform ruled by vertical plugins."""

__version__ = "0.1.0"

"""The auto-service vertical: car servicing through a marketplace, and garage equipment sold with a warranty.

Built from seed 002 (Carmax, a car-service marketplace: the accepted quote caps the price, extra work
needs the customer's consent) and seed 003 (Nanjing Yizhongyi, garage equipment: 7-day returns, 15-day
exchanges that restart the warranty, on-site times for large items, contact within 2-4 hours).
Settings: :class:`aftersales_auto_service.settings.AutoServiceSettings`;
hooks: :mod:`aftersales_auto_service.plugin`.
"""

__version__ = "0.1.0"

"""The home-appliances vertical: appliances sold in stores, installed and repaired by authorised technicians.

Built from seed 001 (Entekhab industrial group): a two-year warranty with ten years of parts, pro-forma
invoices valid for 7 business days, wallet and cash refunds under fixed thresholds, bounced cheques, and
model-specific serial formats. Settings: :class:`aftersales_appliances.settings.AppliancesSettings`;
hooks: :mod:`aftersales_appliances.plugin`.
"""

__version__ = "0.1.0"

"""The electronics vertical: consumer and industrial devices sold with a registered warranty.

Built from seed 000 (Mehr, imported mobile phones: IMEI-registered warranties, 7-business-day repair results,
replacement after 30 business days, complaints answered within 48 business hours) and, for now, seed 004
(Golden Laser, industrial laser machines: on-site SLAs by distance, follow-up calls after installation).
Its settings schema is :class:`aftersales_electronics.settings.ElectronicsSettings`; its hooks are in
:mod:`aftersales_electronics.plugin`.
"""

__version__ = "0.1.0"

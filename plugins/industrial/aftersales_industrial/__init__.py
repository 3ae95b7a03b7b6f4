"""The industrial-machines vertical: machines installed, trained on and serviced on site.

Built from seed 004 (Golden Laser, industrial laser machines): an engineer on site within 24 h within 300 km of a
service point and 72 h beyond, overseas customers answered within 10 h and repaired within 72 h; installation
with training the customer signs off; follow-up calls 3 days and 3 months after it and after each repair with a
fixed four-question questionnaire; periodic reviews of the maintenance records with recommendations; sample
return visits; free software upgrades from the purchase date. Its settings schema is
:class:`aftersales_industrial.settings.IndustrialSettings`; its hooks are in :mod:`aftersales_industrial.plugin`;
its sentences are :class:`~aftersales.contract.Message`\\ s of the gettext domain ``aftersales_industrial``
(catalogues in ``locale/``).
"""

__version__ = "0.1.0"

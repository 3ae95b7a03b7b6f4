"""The reader's language below the pages: formatting by locale, the choice of a locale, and the catalogues and
rendering of the sentences plugins and the core say (:class:`~aftersales.contract.Message`).

Pages, the API and e-mails all render a stored sentence the same way: :func:`~aftersales.i18n.rendering.render`
with the reader's :class:`~aftersales.i18n.formatting.LocaleFormat`.
"""

"""The pages' message catalogues (the choice of a request's language and CLDR formatting are the core's
:mod:`aftersales.i18n`, shared with the API and e-mails).

Catalogues are gettext ``.po`` files under ``web/i18n/<locale>/LC_MESSAGES/messages.po`` (English, Persian,
Chinese, Georgian), compiled in memory with Babel when the application starts: no ``.mo`` file is committed or
built. After changing a page, refresh them with::

    pybabel extract -F babel.cfg -o platform/aftersales/web/i18n/messages.pot .
    pybabel update -i platform/aftersales/web/i18n/messages.pot -d platform/aftersales/web/i18n

``tests/web/i18n/test_catalogues.py`` fails when a string is missing from them or untranslated.
"""

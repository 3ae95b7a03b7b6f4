"""The sign-in pages: customers by one-time code (``/sign-in``), staff by password or their company's OpenID
Connect provider (``/console/sign-in``, ``/console/sso/…``), operators by password (``/ops/sign-in``)."""

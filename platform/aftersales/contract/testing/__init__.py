"""The test kit for plugin authors, shipped with the core and loaded by pytest through the ``pytest11`` entry
point ``aftersales`` (``-p no:aftersales`` turns it off).

* :mod:`.fixtures`: the pytest fixtures ``aftersales_registry``, ``manifest_context``, ``tenant_context``,
  ``plugin_hooks`` and ``conformance``;
* :mod:`.factories`: every fact value object of the contract with sensible defaults (``make_request_facts()``);
* :mod:`.strategies`: hypothesis strategies for the same value objects;
* :mod:`.contexts`: tenant contexts and hook callers as the server builds them (what the fixtures call);
* :mod:`.conformance`: calls every hook a plugin implements with generated facts and reports by hook, by the
  rules of :mod:`.checks` (also ``aftersales plugin check NAME``).

Nothing is imported here: loading the pytest plugin imports pytest and the contract, and the rest (hypothesis,
manifests, the registry) only when a fixture is first used. The product never imports this package
(import-linter), but ``aftersales plugin check``.
"""

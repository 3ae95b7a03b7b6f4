"""The tenant's customer portal: server-rendered pages (Jinja2, HTMX for progressive enhancement) in the
tenant's branding and its customers' languages. :class:`~aftersales.web.pages.PagesPlugin` wires it.

The tenant comes from the host (``{slug}.{base domain}`` or its custom domain) or the ``/t/{slug}/`` path, as
for every page (:func:`aftersales.http.context.provide_host_tenant`); pages call the same services as the API.
"""

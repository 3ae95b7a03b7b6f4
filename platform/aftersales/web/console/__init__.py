"""The staff console: a tenant's agents, technicians, finance and admins at work (queue, request detail,
customer files, imports, clone alerts, recalls, refunds, providers, dashboards), on the tenant's own host under
``/console`` (or ``/t/{slug}/console``). Pages call the same services as the API, with the signed-in staff
member's rights (:meth:`aftersales.web.page_auth.Viewer.staff`)."""

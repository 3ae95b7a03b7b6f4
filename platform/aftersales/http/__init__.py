"""The API's HTTP plumbing: request context (tenant, session, principal), paging, and problem documents."""

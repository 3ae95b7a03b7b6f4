"""Provider search, ranked by the tenant's vertical."""

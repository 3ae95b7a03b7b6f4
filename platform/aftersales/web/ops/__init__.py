"""The operator console (``/ops``): the platform's own operators onboard tenants, suspend them and watch each
tenant's plugin set and health. Platform-level by design; it shows no tenant's business data."""

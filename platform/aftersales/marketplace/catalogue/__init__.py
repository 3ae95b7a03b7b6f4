"""The tenant's service catalogue and each provider's prices for it."""

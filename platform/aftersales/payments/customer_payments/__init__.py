"""A customer's payments: start one through a provider, capture, cancel, read."""

"""Stripe's webhook events for a tenant: verified, de-duplicated, applied to payments, refunds and splits."""

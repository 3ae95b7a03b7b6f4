"""A tenant's Stripe account, its webhook events, and their endpoints."""

"""Payments: the append-only ledger and its invariants, payment providers (Stripe, offline), wallets, refunds
decided by the tenant's vertical, and marketplace settlement."""

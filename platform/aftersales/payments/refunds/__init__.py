"""Refunds: requests, the vertical's decision, identity and IBAN checks, finance's steps, execution."""

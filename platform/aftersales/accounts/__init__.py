"""Accounts: creating staff, operators and API clients, customers' one-time sign-in codes, and the identity
endpoints (OAuth2 token endpoint and key set, password sign-in, staff and API clients).

A package of its own because ``http`` stands on :mod:`aftersales.identity` (principals, guards, tokens): what
acts through HTTP, or reaches other domains (a provider user's provider), sits above it.
"""

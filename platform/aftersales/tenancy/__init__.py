"""Tenants: the platform's directory of companies, their onboarding, and how a request finds its tenant."""

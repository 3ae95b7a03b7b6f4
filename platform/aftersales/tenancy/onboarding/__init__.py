"""Onboarding: a company's manifest validated and applied, creating or updating its tenant."""

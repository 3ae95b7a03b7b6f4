"""Warranty: catalogue, serial registry, registrations, coverage and claims (serial formats so far)."""

"""Spare parts: the stock per location, its append-only ledger, jobs' reservations, buffers and reorders."""

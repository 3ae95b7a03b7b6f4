"""Recall campaigns: draft, launch, notify owners, track acknowledgement and fix per unit."""

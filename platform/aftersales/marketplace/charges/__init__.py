"""Charging a completed job within what the customer agreed to."""

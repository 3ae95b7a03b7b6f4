"""Mutual ratings after a completed job."""

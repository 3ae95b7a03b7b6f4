"""Complaints through any channel, escalated and answered with a cause and an apology."""

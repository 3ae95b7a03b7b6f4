"""Follow-up calls, messages and surveys after service events, and their answers."""

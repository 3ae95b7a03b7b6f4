"""Store credit: a customer's wallet per currency."""

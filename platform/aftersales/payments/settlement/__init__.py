"""Marketplace settlement: a job payment split into the provider's payout and the platform's fee."""

"""Marketplace settlement: paying a completed job from its charge, and a provider's payouts (the split itself is :mod:`aftersales.payments.ledger.splits`)."""

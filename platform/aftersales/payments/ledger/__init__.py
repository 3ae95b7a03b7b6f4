"""The append-only ledger and the payment tables: the lowest layer of payments, importing nothing else in it."""

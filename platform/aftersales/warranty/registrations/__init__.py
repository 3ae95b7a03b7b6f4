"""Purchase registrations: ownership, transfers, proofs of purchase, and their endpoints."""

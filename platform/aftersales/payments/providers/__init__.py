"""Payment providers behind one interface: Stripe and offline (cash, transfer, cheque)."""

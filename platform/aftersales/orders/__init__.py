"""The order desk (seed 001): customers' orders for catalogue products with a payment plan, the pro-forma
invoices that ask for the money, and what follows an order left unfunded (follow-up, cheque escalation,
automatic cancellation). Dispatch, delivery and installation live in ``orders.fulfilment``."""

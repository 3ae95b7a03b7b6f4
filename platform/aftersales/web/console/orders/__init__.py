"""The order desk in the staff console: the order list and its filters, an order with its pro-formas, payments,
cheque escalation and delivery, the follow-up list of unfunded orders, cheque escalations, and taking an order
for a customer."""

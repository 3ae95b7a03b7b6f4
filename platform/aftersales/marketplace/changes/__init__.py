"""Extra work needs the customer's consent first: change requests and work done."""

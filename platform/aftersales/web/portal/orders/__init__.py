"""The customer's orders on the portal: my orders, one order with its pro-forma and the date it can be paid by
(in the customer's calendar), its delivery, and asking to change the delivery address or phone."""

"""The customer file: everything one customer has done, for agents."""

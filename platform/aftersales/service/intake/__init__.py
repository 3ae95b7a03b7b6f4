"""Taking a unit in for a request: the vertical's checklist answered, photos kept, the receipt signed."""

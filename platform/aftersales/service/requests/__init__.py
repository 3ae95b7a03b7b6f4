"""Service requests: opening, moving through their states, assigning, and their timeline."""

"""Demo data and the demo's local services for ``make demo``."""

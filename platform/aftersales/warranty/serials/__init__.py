"""The serial register: finding a unit, its card and hologram codes, and staff actions on units."""

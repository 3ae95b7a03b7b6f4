"""Service requests: repairs, installations, complaints and the rest, with their state and timeline."""

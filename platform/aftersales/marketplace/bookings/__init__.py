"""Bookings: a customer's job with a provider at a day and hour."""

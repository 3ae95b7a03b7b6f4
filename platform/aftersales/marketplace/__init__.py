"""The service marketplace: providers, offerings, availability, bookings, quotes, change requests, ratings."""

"""When a provider can be booked: weekly hours, exceptions, and free slots."""

"""Booking a provider from the customer portal: search providers and slots (``/book``), book a time
(``/book/{provider_id}``), and follow the job (``/my/bookings``): its quote, extra work, charges, payment and the
rating. Pages call the marketplace services the API calls, as the signed-in customer."""

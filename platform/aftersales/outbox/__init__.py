"""The transactional outbox: notifications written with the change that causes them, delivered by the worker."""

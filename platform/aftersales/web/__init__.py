"""The HTTP layer shared by every domain: error mapping, request context, health."""

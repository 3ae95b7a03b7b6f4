"""Bulk import of serials from CSV, from the CLI or over HTTP."""

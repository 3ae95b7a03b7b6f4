"""The plugin contract: everything a vertical or add-on plugin imports, and nothing else (guide: docs/plugins.md)."""

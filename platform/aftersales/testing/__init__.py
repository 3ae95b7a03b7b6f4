"""Test support shipped with the core: a throwaway PostgreSQL server, shared by tests and benchmarks."""

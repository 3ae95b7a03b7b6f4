"""The staff console's insight pages: the dashboard with its charts, serial imports with their progress and row
errors, suspected-clone alerts, and recall campaigns with their progress."""

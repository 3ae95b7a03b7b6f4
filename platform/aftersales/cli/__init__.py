"""The ``aftersales`` command and its sub-commands."""

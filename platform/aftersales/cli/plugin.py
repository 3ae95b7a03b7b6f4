"""``aftersales plugin``: commands for plugin authors."""

from __future__ import annotations

import click


@click.group()
def plugin() -> None:
    """Commands for plugin authors: generate a plugin, check one against the contract."""

"""``aftersales plugin``: tools for plugin authors, run against the plugins installed with the core.

``plugin check NAME`` runs the conformance check of the test kit (:mod:`aftersales.contract.testing.conformance`)
and prints a line per hook; it exits 1 when any hook fails and 2 when no plugin has that name. More commands
join the group with ``@plugin.command()``.
"""

from __future__ import annotations

import click

from aftersales.cli.support import friendly_errors


@click.group()
def plugin() -> None:
    """Tools for plugin authors: generate a plugin (new), check one against the contract (check)."""


@plugin.command("check")
@click.argument("name")
@click.option("--examples", default=100, show_default=True, type=click.IntRange(min=1),
              help="Generated calls per hook.")
@friendly_errors
def check(name: str, examples: int) -> None:
    """Call every hook the installed plugin NAME implements with generated facts and check each answer."""
    from aftersales.contract.testing.conformance import UnknownPlugin, check_plugin
    from aftersales.plugins import build_plugin_registry

    try:
        report = check_plugin(build_plugin_registry(), name, max_examples=examples)
    except UnknownPlugin as exc:
        click.echo(f"error: {exc}", err=True)
        raise SystemExit(2) from None
    click.echo(str(report))
    failed = len(report.failures)
    click.echo(f"{len(report.hooks)} hooks, {failed} failed" if failed else f"{len(report.hooks)} hooks conform")
    if failed:
        raise SystemExit(1)

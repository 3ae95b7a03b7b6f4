"""``aftersales plugin new``: generate a vertical plugin package (:mod:`aftersales.scaffold`)."""

from __future__ import annotations

from pathlib import Path

import click

from aftersales.cli.plugin import plugin
from aftersales.cli.support import friendly_errors
from aftersales.plugins import build_plugin_registry
from aftersales.scaffold import available_hooks, generate, plan


@plugin.command("new")
@click.argument("name")
@click.option("--hook", "hooks", multiple=True, metavar="HOOK",
              help=f"a hook to implement, repeatable (default: warranty_terms, sla_targets); one of "
                   f"{', '.join(available_hooks())}")
@click.option("--dest", type=click.Path(file_okay=False, path_type=Path), default=Path("."), show_default=True,
              help="where the project directory aftersales-NAME is created")
@click.option("--title", default=None, help="the vertical's title (default: NAME in title case)")
@friendly_errors
def plugin_new(name: str, hooks: tuple[str, ...], dest: Path, title: str | None) -> None:
    """Generate the package of a new vertical plugin NAME: its entry point, settings, one module per hook
    (each starting as the core default), catalogues, tests on the test kit, a sample tenant, README and CI."""
    registry = build_plugin_registry()
    chosen = plan(name, hooks=list(hooks), dest=dest, title=title, taken=set(registry.names) | set(registry.failures))
    project = generate(chosen)
    click.echo(f"created {project} with {', '.join(chosen.hooks)}")
    click.echo(f'next: pip install -e "{project}[test]" && cd {project} && pytest   (docs/tutorial-first-vertical.md)')

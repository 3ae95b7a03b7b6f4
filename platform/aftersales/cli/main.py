"""The ``aftersales`` command: migrate, onboard, demo, serve, and the operator's everyday chores.

Every failure is one readable line on stderr and a non-zero exit; ``AFTERSALES_DEBUG=1`` adds the traceback.
"""

from __future__ import annotations

import secrets
import sys
from pathlib import Path
from typing import Any

import click

from aftersales.cli.support import _fail, friendly_errors, run_with_runtime
from aftersales.errors import AftersalesError
from aftersales.observability.logs import configure_logging
from aftersales.runtime import Runtime
from aftersales.settings import load_settings


@click.group()
def main() -> None:
    """aftersales: after-sales service for many companies, one platform."""


@main.command()
@friendly_errors
def migrate() -> None:
    """Bring the database schema up to date (SQLite or PostgreSQL)."""
    from aftersales.migrate import database_revision, upgrade

    settings = load_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    before = database_revision(settings)
    upgrade(settings)
    after = database_revision(settings)
    if before == after:
        click.echo(f"database already up to date (revision {after})")
    elif before is None:
        click.echo(f"database created and migrated to revision {after}")
    else:
        click.echo(f"database migrated from revision {before} to {after}")


@main.command()
@click.argument("manifests", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True,
              help="print the tenant context, default catalogue and clocks each manifest would produce; write nothing")
@friendly_errors
def onboard(manifests: tuple[Path, ...], dry_run: bool) -> None:
    """Create or update tenants from TOML manifests (re-running updates, never duplicates)."""
    from aftersales.onboarding.manifest import read_manifest_file

    if dry_run:
        from aftersales.cli.onboard_preview import print_previews

        print_previews(manifests)
        return
    from aftersales.onboarding.services import onboard as onboard_tenant

    async def work(runtime: Runtime) -> None:
        raw = [(path, read_manifest_file(path)) for path in manifests]
        async with runtime.db.transaction(None) as session:  # all manifests or none
            for path, data in raw:
                try:
                    tenant, created = await onboard_tenant(session, runtime.plugins, data)
                except AftersalesError as exc:
                    raise type(exc)(f"{path}: {exc}") from None
                click.echo(f"{'created' if created else 'updated'} {tenant.slug} ({tenant.vertical})")

    run_with_runtime(work)


@main.group()
def tenants() -> None:
    """The tenant directory."""


@tenants.command("list")
@friendly_errors
def tenants_list() -> None:
    """List every tenant: slug, status, vertical, currency, locales."""
    from aftersales.tenancy.directory import list_tenants

    async def work(runtime: Runtime) -> None:
        async with runtime.db.transaction(None) as session:
            rows = await list_tenants(session)
        if not rows:
            click.echo("no tenants yet: run `aftersales onboard tenants/*.toml`")
        for t in rows:
            click.echo(f"{t.slug:<14} {t.status:<10} {t.vertical:<14} {t.currency:<4} {','.join(t.locales):<12} {t.name}")

    run_with_runtime(work)


@tenants.command("switch-vertical")
@click.argument("slug")
@click.argument("new")
@click.option("--settings", "settings_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="TOML with the new vertical's settings: a manifest (its [settings.NEW] is read) or a bare table")
@click.option("--dry-run", is_flag=True, help="print what would change and change nothing")
@friendly_errors
def tenants_switch_vertical(slug: str, new: str, settings_file: Path | None, dry_run: bool) -> None:
    """Move a tenant to another vertical: settings dropped and added, open requests' clocks recomputed under the
    new vertical (time elapsed kept), stored coverage kept as decided; all in one transaction."""
    from aftersales.db.base import utcnow
    from aftersales.onboarding.manifest import read_manifest_file
    from aftersales.onboarding.vertical_switch import switch_vertical

    settings: dict[str, Any] = {}
    if settings_file is not None:
        settings = read_manifest_file(settings_file)
        nested = settings.get("settings")
        if isinstance(nested, dict):  # a manifest: the new vertical's table of it
            settings = nested.get(new, {})
        if not isinstance(settings, dict):
            _fail(f"{settings_file}: settings.{new} must be a table of settings")

    async def work(runtime: Runtime) -> list[str]:
        done = await switch_vertical(runtime.db, runtime.plugins, slug, new, settings, now=utcnow(), dry_run=dry_run)
        return done.report()

    for line in run_with_runtime(work):
        click.echo(line)


@main.command()
@friendly_errors
def plugins() -> None:
    """List the installed plugins; disabled ones with the reason, and then exit 1 (a deployment check)."""
    from aftersales.plugins import build_plugin_registry

    registry = build_plugin_registry()
    for name in registry.names:
        info = registry.info(name)
        click.echo(f"{name:<14} {info.kind:<9} {info.version:<8} {info.title}")
    for failure in registry.failures.values():
        click.echo(f"{failure.name:<14} DISABLED  {failure.reason}")
    if registry.failures:
        _fail(f"{len(registry.failures)} plugin(s) disabled: {', '.join(sorted(registry.failures))}")


@main.group()
def operator() -> None:
    """Platform operators."""


@operator.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.password_option(envvar="AFTERSALES_OPERATOR_PASSWORD")
@friendly_errors
def operator_create(email: str, name: str, password: str) -> None:
    """Create a platform operator who signs in at /operator/login."""
    from aftersales.accounts.services import create_operator

    async def work(runtime: Runtime) -> None:
        async with runtime.db.transaction(None) as session:
            await create_operator(session, email=email, name=name, password=password)

    run_with_runtime(work)
    click.echo(f"operator {email} created")


@main.group()
def staff() -> None:
    """Tenant staff."""


@staff.command("create")
@click.argument("tenant_slug")
@click.argument("email")
@click.option("--name", required=True)
@click.option("--role", "roles", multiple=True, required=True, help="admin, agent, technician, finance or customer_service")
@click.option("--password", envvar="AFTERSALES_STAFF_PASSWORD", default=None, help="omit for SSO-only staff")
@friendly_errors
def staff_create(tenant_slug: str, email: str, name: str, roles: tuple[str, ...], password: str | None) -> None:
    """Add a staff member to a tenant."""
    from aftersales.accounts.services import create_staff
    from aftersales.tenancy.directory import get_tenant

    async def work(runtime: Runtime) -> None:
        async with runtime.db.transaction(None) as platform:
            tenant = await get_tenant(platform, tenant_slug)
        async with runtime.db.transaction(tenant.id) as session:
            await create_staff(session, email=email, name=name, roles=list(roles), password=password)

    run_with_runtime(work)
    click.echo(f"staff {email} added to {tenant_slug}")


@main.group()
def client() -> None:
    """OAuth2 API clients (client-credentials grant)."""


@client.command("create")
@click.option("--tenant", "tenant_slug", default=None, help="the tenant its tokens are bound to")
@click.option("--operator", "is_operator", is_flag=True, help="an operator client instead of a tenant's")
@click.option("--name", required=True)
@click.option("--scope", "scopes", multiple=True, required=True)
@friendly_errors
def client_create(tenant_slug: str | None, is_operator: bool, name: str, scopes: tuple[str, ...]) -> None:
    """Register an API client and print its id and secret (the secret is shown once)."""
    from aftersales.accounts.services import create_api_client
    from aftersales.tenancy.directory import get_tenant

    if bool(tenant_slug) == is_operator:
        _fail("give exactly one of --tenant SLUG or --operator")

    async def work(runtime: Runtime) -> tuple[str, str]:
        async with runtime.db.transaction(None) as session:
            tenant_id = (await get_tenant(session, tenant_slug)).id if tenant_slug else None
            api_client, secret = await create_api_client(session, tenant_id=tenant_id, name=name, scopes=list(scopes))
            return api_client.client_id, secret

    client_id, secret = run_with_runtime(work)
    click.echo(f"client_id={client_id}\nclient_secret={secret}")


@main.command("import-serials")
@click.argument("tenant_slug")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--mode", type=click.Choice(["all_or_nothing", "valid_rows"]), default="all_or_nothing",
              show_default=True, help="all_or_nothing writes nothing if any row is bad")
@click.option("--errors-csv", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="write every reported row error here (row, field, reason)")
@friendly_errors
def import_serials_command(tenant_slug: str, csv_file: Path, mode: str, errors_csv: Path | None) -> None:
    """Import a CSV of serials (serial, model_sku, batch, manufactured_on, shipped_on, seller, card_code,
    hologram_code, status) into a tenant's registry, with a progress bar and a per-row error report."""
    from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

    from aftersales.http.csv_export import csv_writer
    from aftersales.tenancy.current import bind_tenant
    from aftersales.tenancy.directory import get_tenant
    from aftersales.warranty.imports.services import ImportContext, ImportMode, import_serials, sync_chunks

    async def work(runtime: Runtime) -> Any:
        async with runtime.db.transaction(None) as platform:
            tenant = await get_tenant(platform, tenant_slug)
        current = bind_tenant(tenant, runtime.plugins)
        ctx = ImportContext(tenant=current, code_key=runtime.code_key, today=current.today())
        size = csv_file.stat().st_size
        with Progress("[progress.description]{task.description}", BarColumn(), DownloadColumn(),
                      TimeRemainingColumn(), transient=True, disable=not sys.stderr.isatty()) as bar, \
                csv_file.open("rb") as fh:
            task = bar.add_task(f"importing {csv_file.name}", total=size)

            def chunks() -> Any:
                while block := fh.read(1 << 20):
                    bar.update(task, completed=fh.tell())
                    yield block

            session = runtime.db.session(tenant.id)
            async with session, session.begin() as transaction:
                report = await import_serials(session, ctx, sync_chunks(chunks()), mode=ImportMode(mode))
                if not report.committed:
                    await transaction.rollback()
        return report

    report = run_with_runtime(work)
    if errors_csv is not None:
        with errors_csv.open("w", newline="", encoding="utf-8") as out:
            writer = csv_writer(out)
            writer.writerow(["row", "field", "reason"])
            writer.writerows((e.row, e.field, e.reason) for e in report.errors)
    for error in report.errors[:20]:
        click.echo(f"row {error.row}: {error.field}: {error.reason}", err=True)
    if report.error_count > 20:
        click.echo(f"… and {report.error_count - 20} more row errors", err=True)
    click.echo(f"read {report.rows_read} rows, imported {report.rows_imported}, {report.error_count} row errors "
               f"({report.mode.value})")
    if report.error_count:
        if report.rows_imported == 0:
            _fail(f"nothing was imported: {report.rows_invalid} of {report.rows_read} rows are invalid, with "
                  f"{report.error_count} errors in all (see above)")
        sys.exit(1)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--reload", is_flag=True,
              help="restart whenever a .py file of the core or of an installed plugin changes (development only)")
@friendly_errors
def serve(host: str, port: int, reload: bool = False) -> None:
    """Serve the API, the portal, the console and the operator's pages."""
    import uvicorn

    watched: list[str] | None = None
    if reload:
        import aftersales
        from aftersales.plugins import plugin_directories

        watched = [str(Path(aftersales.__file__).parent), *map(str, plugin_directories())]
        click.echo(f"restarting on changes to {', '.join(watched)}")
    configure_logging()
    # proxy_headers off: uvicorn would believe X-Forwarded-For from 127.0.0.1; the app believes it only from
    # AFTERSALES_TRUSTED_PROXIES (aftersales.http.forwarded). Our access log lines carry the request id
    # (aftersales.observability.requests); uvicorn's would repeat them.
    uvicorn.run("aftersales.app:served_app", factory=True, host=host, port=port, log_level="info",
                log_config=None, access_log=False, reload=reload, reload_dirs=watched, proxy_headers=False)


@main.command()
@click.option("--serve/--no-serve", "then_serve", default=True, help="start the server afterwards")
@click.option("--port", default=8000, show_default=True, type=int)
@friendly_errors
def demo(then_serve: bool, port: int) -> None:
    """Migrate, onboard every manifest in tenants/, create demo sign-ins, and serve.

    SIGTERM stops the demo as Ctrl-C does, its local servers (localstripe) with it."""
    from aftersales.demo.seed import seed_demo
    from aftersales.migrate import upgrade

    configure_logging()
    _exit_on_sigterm()
    _local_stripe_for_the_demo()
    if then_serve:
        _local_mail_for_the_demo()
    settings = load_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade(settings)
    credentials_file = run_with_runtime(lambda runtime: seed_demo(runtime, password=secrets.token_urlsafe(12)))
    click.echo(credentials_file.read_text())
    click.echo(f"(saved in {credentials_file})")
    if then_serve:
        click.echo(f"serving on http://127.0.0.1:{port}  — API docs at http://127.0.0.1:{port}/schema")
        serve.callback(host="127.0.0.1", port=port)  # type: ignore[misc]


def _exit_on_sigterm() -> None:
    """Make SIGTERM end the process by ``SystemExit``, so ``atexit`` stops the demo's child processes (Python's
    default for SIGTERM is to die on the spot, leaving them running). While uvicorn serves it takes the signal
    itself, shuts down, restores this handler and raises the signal again, which then lands here."""
    import signal

    def leave(signum: int, _frame: Any) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, leave)


def _local_stripe_for_the_demo() -> None:
    """Card payments in the demo: unless a Stripe API base is configured, start a local Stripe-compatible server
    (localstripe, installed with the test extras) for as long as the demo runs, so no real Stripe key is needed."""
    import atexit
    import os

    from aftersales.demo import localstripe

    if os.environ.get("AFTERSALES_STRIPE_API_BASE") or not localstripe.available():
        return
    url, process = localstripe.start()
    atexit.register(localstripe.stop, process)
    os.environ["AFTERSALES_STRIPE_API_BASE"] = url
    click.echo(f"card payments go to a local Stripe-compatible server at {url} (test cards, no real money)")


def _local_mail_for_the_demo() -> None:
    """E-mail in the demo (one-time sign-in codes, notifications): unless an SMTP server is configured, run a real
    local SMTP server (aiosmtpd, test extras) that prints every message here, so a newcomer can read their code."""
    import importlib.util
    import os

    if os.environ.get("AFTERSALES_SMTP_URL") or importlib.util.find_spec("aiosmtpd") is None:
        return
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Debugging

    from aftersales.demo.ports import free_port

    port = free_port()
    controller = Controller(Debugging(sys.stdout), hostname="127.0.0.1", port=port)
    controller.start()
    os.environ["AFTERSALES_SMTP_URL"] = f"smtp://127.0.0.1:{port}"
    click.echo(f"e-mail (one-time sign-in codes included) is printed below by a local SMTP server on port {port}")


def _register_domain_commands() -> None:
    from aftersales.cli.plugin import plugin
    from aftersales.cli.recalls import recalls
    from aftersales.cli.scaffold import plugin_new
    from aftersales.cli.warranty import warranty
    from aftersales.cli.worker import worker

    main.add_command(warranty)
    main.add_command(recalls)
    main.add_command(worker)
    main.add_command(plugin)
    assert plugin.get_command(None, "new") is plugin_new  # type: ignore[arg-type]  # attached on import


_register_domain_commands()

if __name__ == "__main__":
    main()

"""``aftersales migrate`` says what it did: created and migrated a fresh database, or found it up to date."""

from __future__ import annotations

from click.testing import CliRunner

from aftersales.cli.main import main


def test_migrate_says_it_migrated_a_fresh_database_and_then_that_it_is_already_up_to_date(tmp_path):
    from alembic.script import ScriptDirectory

    from aftersales.migrate import alembic_config
    from aftersales.settings import load_settings

    data = tmp_path / "data"
    env = {"AFTERSALES_DATA_DIR": str(data), "AFTERSALES_DATABASE_URL": f"sqlite+aiosqlite:///{data / 'aftersales.db'}",
           "AFTERSALES_MIGRATION_DATABASE_URL": None}
    first = CliRunner().invoke(main, ["migrate"], env=env)
    again = CliRunner().invoke(main, ["migrate"], env=env)

    head = ScriptDirectory.from_config(alembic_config(load_settings())).get_current_head()
    assert (first.exit_code, first.output) == (0, f"database created and migrated to revision {head}\n")
    assert (again.exit_code, again.output) == (0, f"database already up to date (revision {head})\n")

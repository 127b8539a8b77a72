"""Bring the database schema to the newest migration, programmatically (no alembic.ini).

Call ``await upgrade_to_head(engine)`` at start-up. The same ``alembic_config`` serves the
command line through ``python -m gateway.store.migrate [alembic args]``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from alembic import command
from alembic.config import CommandLine, Config
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
PREPARE_LOCK = 0x6761_7465_7761_79  # "gateway": the advisory lock processes preparing the store take


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        # '%' would be read as interpolation by ConfigParser.
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def _upgrade(connection: Connection, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


def _downgrade(connection: Connection, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.downgrade(config, revision)


async def take_turn(db: AsyncConnection | AsyncSession) -> None:
    """Wait, to the end of this transaction, for the processes preparing the same PostgreSQL
    database before this one (workers and replicas starting at once: ``gateway.store.prepare``)."""
    dialect = db.dialect if isinstance(db, AsyncConnection) else db.get_bind().dialect
    if dialect.name == "postgresql":
        await db.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PREPARE_LOCK})


async def upgrade_to_head(engine: AsyncEngine) -> None:
    """Apply every pending migration in one transaction (PostgreSQL runs DDL
    transactionally; SQLite mostly does too), one process at a time."""
    async with engine.begin() as connection:
        await take_turn(connection)  # replicas starting at once migrate one after the other
        await connection.run_sync(_upgrade, "head")


async def downgrade_to(engine: AsyncEngine, revision: str = "base") -> None:
    async with engine.begin() as connection:
        await connection.run_sync(_downgrade, revision)


def main(argv: list[str] | None = None) -> None:
    """``python -m gateway.store.migrate --url URL upgrade head`` and the other alembic commands."""
    args = list(sys.argv[1:] if argv is None else argv)
    url = None
    if len(args) >= 2 and args[0] == "--url":
        url, args = args[1], args[2:]
    cli = CommandLine(prog="gateway.store.migrate")
    options = cli.parser.parse_args(args)
    config = alembic_config(url)
    config.cmd_opts = options
    cli.run_cmd(config, options)


if __name__ == "__main__":
    main()

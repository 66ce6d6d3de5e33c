"""Connecting to the hub's database and bringing its tables up to date (Alembic)."""

from __future__ import annotations

import secrets
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.orm import Session, sessionmaker

from spcore.hub.models import HubSecret

#: Where the migration scripts are (inside the installed package).
MIGRATIONS = "spcore.hub:migrations"


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets foreign keys, WAL, a busy timeout, immediate writes.

    WAL lets readers carry on while one writer stores a return; the busy
    timeout makes concurrent writers wait their turn instead of failing.
    """
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(connection: Any, _record: Any) -> None:
            # The driver's own transaction handling is turned off so that "begin"
            # below decides how each transaction starts.
            connection.isolation_level = None
            cursor = connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _immediate(connection: Any) -> None:
            # Take the write lock at the start: a transaction that reads the
            # latest version and then writes the next cannot be overtaken (and
            # SQLite would otherwise refuse the second writer, not wait).
            connection.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_pre_ping=True)


def alembic_config(url: str) -> Config:
    """The Alembic configuration for the database at ``url``."""
    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revision() -> str | None:
    """The newest migration this version of spcore has."""
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at (None for an empty database)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def migrate(url: str) -> tuple[str | None, str | None]:
    """Upgrade the database at ``url`` to the newest migration; (before, after) revisions."""
    engine = make_engine(url)
    try:
        before = current_revision(engine)
        config = alembic_config(url)
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
        with sessionmaker(engine).begin() as session:
            ensure_secret(session)
        return before, current_revision(engine)
    finally:
        engine.dispose()


def ensure_secret(session: Session) -> str:
    """The session-signing key, made once per database so every worker shares it."""
    secret = session.scalar(select(HubSecret.value).where(HubSecret.id == 1))
    if secret is None:
        secret = secrets.token_urlsafe(48)
        session.add(HubSecret(id=1, value=secret))
        session.flush()
    return secret

"""Alembic's entry point for the hub's migrations (run by ``spcore hub migrate``)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from spcore.hub.models import Base

config = context.config
target_metadata = Base.metadata


def run() -> None:
    """Run the migrations on the connection given, or on one made from the URL."""
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")
    with engine.begin() as connection:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()


run()

"""Alembic environment: the records' own tables only (Rasa's `events` table is Rasa's)."""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context

from actions.records.db import make_engine
from actions.records.models import is_ours, metadata

if context.config.config_file_name is not None:
    fileConfig(context.config.config_file_name, disable_existing_loggers=False)


def run_migrations_online() -> None:
    url = context.config.attributes.get("database_url")
    engine = make_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            include_name=is_ours,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations_online()

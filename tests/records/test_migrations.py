from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from actions.records.db import make_engine
from actions.records.models import is_ours, metadata


def test_migrations_build_exactly_the_models(database_url: str) -> None:
    engine = make_engine(database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": is_ours})
        differences = compare_metadata(context, metadata)
    engine.dispose()
    assert differences == []

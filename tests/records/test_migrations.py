from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from actions.records.db import make_engine
from actions.records.models import metadata


def test_migrations_build_exactly_the_models(database_url: str) -> None:
    engine = make_engine(database_url)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    engine.dispose()
    # Tables that are not ours (Rasa's `events`) show up as removals: they are none of ours.
    assert [d for d in differences if d[0] != "remove_table"] == []

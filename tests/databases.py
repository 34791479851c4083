"""Databases for the tests: a fresh SQLite file always, and PostgreSQL when one answers
(TEST_POSTGRES_URL, else DATABASE_URL if it is PostgreSQL, else the local server CI has);
skipped with a message otherwise. The tests create and drop the records' tables there."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from actions.records.db import ROOT
from actions.records.migrate import upgrade

_DATABASE_URL = os.environ.get("DATABASE_URL", "")
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL") or (
    _DATABASE_URL
    if _DATABASE_URL.startswith("postgresql")
    else "postgresql://postgres@127.0.0.1:5432/test"
)


def postgres_or_skip() -> str:
    try:
        engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except OperationalError as error:
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL} ({error.orig}): skipped here")
    return POSTGRES_URL


def _downgrade(url: str) -> None:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["database_url"] = url
    command.downgrade(config, "base")


def migrated_database(kind: str, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty records database of `kind`; dropped again afterwards."""
    url = f"sqlite:///{tmp_path / 'records.db'}" if kind == "sqlite" else postgres_or_skip()
    if kind == "postgresql":
        _downgrade(url)  # leftovers of an interrupted run
    upgrade(url)
    yield url
    if kind == "postgresql":
        _downgrade(url)

"""The operators' commands read the records' database: the same fixtures as the records'
tests (SQLite always, PostgreSQL when one answers)."""

from tests.records.conftest import database_url, sessions  # noqa: F401  (fixtures)

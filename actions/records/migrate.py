"""Apply the schema migrations: `python -m actions.records.migrate` (the setup runs it)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from .db import DEFAULT_SQLITE, ROOT, database_url


def upgrade(url: str | None = None) -> None:
    url = url or database_url()
    if url.startswith("sqlite") and url.endswith(str(DEFAULT_SQLITE)):
        DEFAULT_SQLITE.parent.mkdir(parents=True, exist_ok=True)
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["database_url"] = url
    command.upgrade(config, "head")


if __name__ == "__main__":
    upgrade()

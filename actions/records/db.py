"""Where the records live: `DATABASE_URL`, else an SQLite file under var/."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SQLITE = ROOT / "var" / "helpdesk.db"


def database_url() -> str:
    return os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE}"


def make_engine(url: str | None = None) -> Engine:
    """`hide_parameters`: a database error logged names the statement, never the customer's
    words it carried."""
    url = url or database_url()
    if url.startswith("sqlite"):
        # The Rasa server and the action server share the file: wait for a lock, don't fail.
        engine = create_engine(
            url, future=True, hide_parameters=True, connect_args={"timeout": 30}
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, future=True, hide_parameters=True, pool_pre_ping=True)


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers do not block the writer
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_sessions(url: str | None = None) -> sessionmaker[Session]:
    return sessionmaker(bind=make_engine(url), future=True, expire_on_commit=False)

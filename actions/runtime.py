"""What the actions take from the world: the clock and the records database. Tests replace
`now`, and point DATABASE_URL at a database of their own (then `sessions.cache_clear()`)."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from sqlalchemy.orm import Session, sessionmaker

from .domain.expiry import now_in_rome
from .records.db import database_url, make_sessions


def now() -> datetime:
    return now_in_rome()


@lru_cache(maxsize=4)
def _sessions_for(url: str) -> sessionmaker[Session]:
    return make_sessions(url)


def sessions() -> sessionmaker[Session]:
    return _sessions_for(database_url())

"""What the actions take from the world: the clock and the records database. The actions
call `runtime.now()` through this module, so a test replaces the clock in one place; tests
point DATABASE_URL at a database of their own (then `_sessions_for.cache_clear()`).
`ASSISTANT_NOW` (an ISO moment with its offset) stops the clock there, for the held-out
conversations whose dates and amounts were worked out by hand for that day."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from typing import TypeVar

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from .domain.expiry import now_in_rome
from .records.db import database_url, make_sessions

logger = logging.getLogger(__name__)
Written = TypeVar("Written")


def now() -> datetime:
    frozen = os.environ.get("ASSISTANT_NOW")
    return datetime.fromisoformat(frozen) if frozen else now_in_rome()


@lru_cache(maxsize=4)
def _sessions_for(url: str) -> sessionmaker[Session]:
    return make_sessions(url)


def sessions() -> sessionmaker[Session]:
    return _sessions_for(database_url())


def engine() -> Engine:
    bound: Engine = sessions().kw["bind"]
    return bound


def write_records(write: Callable[[Session], Written], what: str, sender_id: str) -> Written | None:
    """Run `write` as one committed unit of work; None, logged, when the database fails:
    what the customer is told never waits on the records being writable."""
    try:
        with sessions()() as session:
            written = write(session)
            session.commit()
            return written
    except SQLAlchemyError:
        logger.exception("%s not recorded for conversation %s", what, sender_id)
        return None

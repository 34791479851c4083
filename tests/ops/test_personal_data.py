"""Retention, erasure and export on SQLite and PostgreSQL: what goes, what stays, and that
the report of a day still adds up."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from sqlalchemy import Table, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from actions.domain.catalog import default_catalog
from actions.domain.expiry import ROME
from actions.domain.pricing import quote_upgrade
from actions.domain.transcripts import Facts, build_transcript
from actions.records.live_handoff import enqueue
from actions.records.models import (
    ConversationEvent,
    Erasure,
    Handoff,
    LiveHandoff,
    QuoteRecord,
    SupportRequest,
)
from actions.records.repository import add_handoff, add_quote, add_support_request
from ops.daily_report import daily_report
from ops.event_stream import store_event
from ops.personal_data import conversations_of, export, forget, purge

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=ROME)
OLD = NOW - timedelta(days=200)
RECENT = NOW - timedelta(days=1)
QUOTE = quote_upgrade(default_catalog(), "ds-pro", ["ram-32"], 80)
RASA_EVENTS = SQLTrackerStore.SQLEvent.__table__  # Rasa's own table, as Rasa creates it


@pytest.fixture
def engine(sessions: sessionmaker[Session]) -> Iterator[Engine]:
    bound: Engine = sessions.kw["bind"]
    # The shared test database may hold Rasa's table from an assistant a test ran on it.
    RASA_EVENTS.drop(bound, checkfirst=True)
    RASA_EVENTS.create(bound)
    yield bound
    RASA_EVENTS.drop(bound)


def said(engine: Engine, sender: str, text: str, moment: datetime) -> None:
    """A customer's message, in Rasa's table and in the event stream's, as each stores it."""
    event = {"event": "user", "text": text, "timestamp": moment.timestamp(),
             "parse_data": {"intent": {"name": "inform"}}}
    with engine.begin() as connection:
        connection.execute(RASA_EVENTS.insert().values(
            sender_id=sender, type_name="user", timestamp=moment.timestamp(),
            intent_name="inform", data=json.dumps(event),
        ))
    with Session(engine) as session:
        store_event(session, {**event, "sender_id": sender})
        session.commit()


def records(sessions: sessionmaker[Session], sender: str, moment: datetime, email: str) -> None:
    transcript = build_transcript(sender, "support_request", Facts(), [], moment)
    with sessions() as session:
        add_quote(session, sender_id=sender, quote=QUOTE, now=moment)
        add_handoff(session, sender_id=sender, transcript=transcript, now=moment)
        enqueue(session, sender_id=sender, channel="socketio", reason="human_handoff",
                now=moment.astimezone(timezone.utc).replace(tzinfo=None))
        add_support_request(session, sender_id=sender, contact_email=email,
                            description="non riesco ad aggiungere la ram",
                            transcript=transcript, now=moment)
        session.commit()


def count(engine: Engine, table: Table, sender: str) -> int:
    query = select(func.count()).select_from(table).where(table.c.sender_id == sender)
    with engine.connect() as connection:
        return int(connection.execute(query).scalar_one())


def test_purge_takes_idle_conversations_and_their_words_and_nothing_else(
    engine: Engine, sessions: sessionmaker[Session]
) -> None:
    for sender in ("old-1", "old-2", "old-3"):
        said(engine, sender, "vorrei 16 GB di ram", OLD)
    said(engine, "returned", "ciao", OLD)
    said(engine, "returned", "sono tornato", RECENT)  # still going on: kept whole
    said(engine, "recent", "scade tra 40 giorni", RECENT)
    records(sessions, "old-1", OLD, "a@example.it")
    records(sessions, "recent", RECENT, "b@example.it")
    with Session(engine) as session:  # closed: an open one holds locks the teardown waits for
        report_before = daily_report(session, RECENT.date())

    removed = purge(engine, NOW, retention_days=180, request_retention_days=730, batch=2)

    assert removed.conversations == 3
    for sender in ("old-1", "old-2", "old-3"):
        assert count(engine, RASA_EVENTS, sender) == 0
    assert count(engine, RASA_EVENTS, "returned") == 2
    assert count(engine, RASA_EVENTS, "recent") == 1
    with sessions() as session:
        old_handoffs = session.scalars(select(Handoff).where(Handoff.sender_id == "old-1")).all()
        assert old_handoffs and all(h.transcript_text == "" for h in old_handoffs)
        assert session.scalars(select(Handoff).where(Handoff.sender_id == "recent")).first()
        # figures stay: the quote, and the request still pending delivery
        assert session.scalar(select(func.count()).select_from(QuoteRecord)) == 2
        assert session.scalar(select(func.count()).select_from(SupportRequest)) == 2
    with Session(engine) as session:
        assert daily_report(session, RECENT.date()) == report_before


def test_a_delivered_request_goes_after_its_own_retention(
    engine: Engine, sessions: sessionmaker[Session]
) -> None:
    long_ago = NOW - timedelta(days=800)
    records(sessions, "ancient", long_ago, "a@example.it")
    records(sessions, "sent-lately", RECENT, "b@example.it")
    with sessions() as session:
        for request in session.scalars(select(SupportRequest)):
            request.status, request.delivered_at = "delivered", request.created_at
        session.commit()
    purge(engine, NOW, retention_days=180, request_retention_days=730)
    with sessions() as session:
        kept = session.scalars(select(SupportRequest.sender_id)).all()
    assert kept == ["sent-lately"]


def test_forget_by_conversation_removes_it_everywhere_and_leaves_an_anonymous_audit_line(
    engine: Engine, sessions: sessionmaker[Session]
) -> None:
    said(engine, "gone", "pago con la carta, la mail è mario@example.it", RECENT)
    said(engine, "other", "scade tra 40 giorni", RECENT)
    records(sessions, "gone", RECENT, "mario@example.it")
    records(sessions, "other", RECENT, "luisa@example.it")

    tables = (RASA_EVENTS, ConversationEvent.__table__, QuoteRecord.__table__,
              Handoff.__table__, LiveHandoff.__table__, SupportRequest.__table__)
    others_before = [count(engine, table, "other") for table in tables]

    removed = forget(engine, ["gone"], "conversation", NOW)

    assert removed.conversations == 1 and removed.requests_cancelled == 1
    assert [count(engine, table, "gone") for table in tables] == [0] * len(tables)
    assert [count(engine, table, "other") for table in tables] == others_before
    assert all(others_before)
    with sessions() as session:
        (audit,) = session.scalars(select(Erasure)).all()
    assert (audit.asked_by, audit.conversations, audit.requests_cancelled) == (
        "conversation", 1, 1,
    )
    assert audit.rows_removed == removed.total()
    assert "gone" not in repr(vars(audit)) and "mario" not in repr(vars(audit))


def test_an_email_finds_the_conversations_that_gave_it_and_exports_them(
    engine: Engine, sessions: sessionmaker[Session]
) -> None:
    records(sessions, "with-request", RECENT, "Mario.Rossi@example.it")
    said(engine, "typed-it", "scrivetemi a mario.rossi@example.it", RECENT)
    said(engine, "other", "scrivetemi a luisa@example.it", RECENT)

    assert conversations_of(engine, "mario.rossi@EXAMPLE.it") == ["typed-it", "with-request"]
    data = export(engine, "mario.rossi@example.it", NOW)
    assert [c["id"] for c in data["conversations"]] == ["typed-it", "with-request"]
    assert data["conversations"][0]["events"][0]["text"] == "scrivetemi a mario.rossi@example.it"
    assert [r["contact_email"] for r in data["support_requests"]] == ["Mario.Rossi@example.it"]
    assert len(data["quotes"]) == 1 and data["quotes"][0]["total"] == str(QUOTE.price.total)
    assert [h["state"] for h in data["live_handoffs"]] == ["queued"]  # the chat with a person
    json.dumps(data)  # written as JSON as it is

    forget(engine, conversations_of(engine, "mario.rossi@example.it"), "email", NOW)
    assert conversations_of(engine, "mario.rossi@example.it") == []
    assert count(engine, RASA_EVENTS, "other") == 1


def test_nothing_stored_yet_is_nothing_to_purge(sessions: sessionmaker[Session]) -> None:
    # Before Rasa's first conversation its table does not exist.
    assert purge(sessions.kw["bind"], NOW).total() == 0

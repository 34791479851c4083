"""The live handoff's state and the agents' accounts, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from actions.records import agents
from actions.records import live_handoff as live
from actions.records.models import AgentAccount, AgentSession

NOW = datetime(2026, 11, 24, 9, 0)  # naive UTC, a Tuesday
PASSWORD = "correct horse battery"


def add(session: Session, name: str = "Giulia", email: str = "giulia@example.com") -> int:
    agent = agents.add_agent(session, name=name, email=email, password=PASSWORD, now=NOW)
    session.commit()
    return int(agent.id)


def test_the_queue_keeps_order_and_one_place_per_conversation(
    sessions: sessionmaker[Session],
) -> None:
    with sessions() as session:
        first = live.enqueue(session, sender_id="a", channel="socketio", reason="human_handoff",
                             now=NOW)
        second = live.enqueue(session, sender_id="b", channel="telegram", reason="human_handoff",
                              now=NOW)
        again = live.enqueue(session, sender_id="a", channel="socketio", reason="human_handoff",
                             now=NOW + timedelta(seconds=30))
        session.commit()
        assert (first, second, again) == (1, 2, 1)
        held = live.held(session, "b")
        assert held is not None and (held.state, held.channel) == (live.QUEUED, "telegram")
        assert live.held(session, "nobody") is None


def test_only_one_agent_takes_a_conversation(sessions: sessionmaker[Session]) -> None:
    with sessions() as session:
        giulia, marco = add(session), add(session, "Marco", "marco@example.com")
        live.enqueue(session, sender_id="a", channel="socketio", reason="human_handoff", now=NOW)
        live.enqueue(session, sender_id="b", channel="socketio", reason="human_handoff", now=NOW)
        session.commit()
        held = live.held(session, "a")
        assert held is not None
        assert live.take(session, held.id, giulia, NOW) is True
        assert live.take(session, held.id, marco, NOW) is False
        session.commit()
        taken = live.held(session, "a")
        assert taken is not None
        assert (taken.state, taken.agent_id, taken.agent_name) == (live.TAKEN, giulia, "Giulia")
        # the one still waiting moves up
        waiting = live.held(session, "b")
        assert waiting is not None and live.position(session, waiting.id) == 1
        # only the agent who holds it can end it
        assert not live.end(session, held.id, live.RETURNED, NOW, agent_id=marco)
        assert live.end(session, held.id, live.RETURNED, NOW, agent_id=giulia)
        session.commit()
        assert live.held(session, "a") is None


def test_overdue_and_recently_unanswered(sessions: sessionmaker[Session]) -> None:
    wait = timedelta(seconds=180)
    with sessions() as session:
        live.enqueue(session, sender_id="old", channel="socketio", reason="human_handoff",
                     now=NOW - timedelta(seconds=200))
        live.enqueue(session, sender_id="new", channel="socketio", reason="human_handoff",
                     now=NOW - timedelta(seconds=100))
        session.commit()
        overdue = live.overdue(session, NOW, wait)
        assert [held.sender_id for held in overdue] == ["old"]
        assert live.end(session, overdue[0].id, live.UNANSWERED, NOW, from_states=(live.QUEUED,))
        # a second server sweeping the same moment wins nothing
        assert not live.end(session, overdue[0].id, live.UNANSWERED, NOW,
                            from_states=(live.QUEUED,))
        session.commit()
        within = timedelta(minutes=10)
        assert live.recently_ended(session, "old", (live.UNANSWERED,), NOW, within)
        assert not live.recently_ended(session, "old", (live.UNANSWERED,), NOW + within * 2,
                                       within)
        assert not live.recently_ended(session, "new", (live.UNANSWERED,), NOW, within)
    with pytest.raises(ValueError), sessions() as session:
        live.end(session, 1, live.QUEUED, NOW)


def test_an_agent_is_present_while_the_console_is_seen(sessions: sessionmaker[Session]) -> None:
    with sessions() as session:
        add(session)
        assert live.agents_present(session, NOW) == 0
        result = agents.sign_in(session, "giulia@example.com", PASSWORD, NOW)
        session.commit()
        assert live.agents_present(session, NOW + timedelta(seconds=30)) == 1
        assert live.agents_present(session, NOW + live.PRESENCE * 2) == 0
        assert agents.signed_in(session, result.token, NOW + live.PRESENCE * 2) is not None
        session.commit()
        assert live.agents_present(session, NOW + live.PRESENCE * 2) == 1


def test_accounts_keep_only_a_hash(sessions: sessionmaker[Session]) -> None:
    with sessions() as session:
        add(session, email="  Giulia@Example.com ")
        stored = session.execute(select(AgentAccount)).scalar_one()
        assert stored.email == "giulia@example.com"
        assert PASSWORD not in stored.password_hash
        assert stored.password_hash.startswith("$argon2id$")
        with pytest.raises(ValueError, match="exists"):
            add(session)
        with pytest.raises(ValueError, match="at least"):
            agents.add_agent(session, name="X", email="x@example.com", password="short",
                             now=NOW)


def test_sign_in_session_and_sign_out(sessions: sessionmaker[Session]) -> None:
    with sessions() as session:
        add(session)
        assert agents.sign_in(session, "giulia@example.com", "wrong password!", NOW).token is None
        assert agents.sign_in(session, "nobody@example.com", PASSWORD, NOW).token is None
        result = agents.sign_in(session, "GIULIA@example.com", PASSWORD, NOW)
        session.commit()
        assert result.token and result.signed_in and result.signed_in.name == "Giulia"
        stored = session.execute(select(AgentSession)).scalar_one()
        assert stored.token_hash != result.token  # only the hash is kept
        seen = agents.signed_in(session, result.token, NOW + timedelta(hours=1))
        assert seen is not None and seen.csrf_token == result.signed_in.csrf_token
        assert agents.signed_in(session, result.token, NOW + agents.SESSION_LIFETIME) is None
        assert agents.signed_in(session, "forged", NOW) is None
        agents.sign_out(session, result.token)
        session.commit()
        assert agents.signed_in(session, result.token, NOW) is None


def test_five_wrong_passwords_stop_the_address_for_a_while(
    sessions: sessionmaker[Session],
) -> None:
    with sessions() as session:
        add(session)
        for attempt in range(agents.MAX_FAILURES):
            moment = NOW + timedelta(seconds=attempt)
            result = agents.sign_in(session, "giulia@example.com", "not it at all", moment)
            assert result.retry_after == 0 and result.token is None
            session.commit()
        # even the right password is refused now, and the answer says how long to wait
        soon = NOW + timedelta(minutes=1)
        blocked = agents.sign_in(session, "giulia@example.com", PASSWORD, soon)
        assert blocked.token is None
        assert 0 < blocked.retry_after <= agents.FAILURE_WINDOW.total_seconds()
        later = NOW + agents.FAILURE_WINDOW + timedelta(seconds=10)
        assert agents.sign_in(session, "giulia@example.com", PASSWORD, later).token

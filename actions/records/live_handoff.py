"""The live handoff's state, in the records database so that every Rasa server and the action
server read the same one: the queue, who holds which conversation, and how each ended.

States: queued → taken → returned (the agent hands back) or closed; queued → cancelled (the
customer), unanswered (nobody took it within the wait). A conversation is *held* while
queued or taken: the channels then keep it away from Rasa's dialogue. Each change is one
conditional UPDATE, so two agents (or two servers) never both win the same conversation.
Times are naive UTC from the real clock (not the actions' clock, which tests may stop)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from .models import AgentAccount, AgentSession, LiveHandoff

QUEUED, TAKEN = "queued", "taken"
HELD = (QUEUED, TAKEN)
RETURNED, CLOSED, CANCELLED, UNANSWERED = "returned", "closed", "cancelled", "unanswered"
ENDED = (RETURNED, CLOSED, CANCELLED, UNANSWERED)
# The channels whose output an agent's reply can reach later (not REST: its answer is the
# HTTP response, gone once sent). Only their conversations are ever held.
LIVE_CHANNELS = ("socketio", "telegram")
# The intent that asks for a person: what the channels trigger when nobody took the
# conversation in time, and how the console finds the customer's request for one.
HANDOFF_INTENT = "human_handoff"
# An open console refreshes its session at least this often (channels/agent_console.py).
PRESENCE = timedelta(seconds=60)


def utc_now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


@dataclass(frozen=True)
class Held:
    """A held conversation as the channels need it."""

    id: int
    sender_id: str
    channel: str
    state: str
    agent_id: int | None = None
    agent_name: str | None = None


def held(session: Session, sender_id: str) -> Held | None:
    row = session.execute(
        select(LiveHandoff, AgentAccount.name)
        .outerjoin(AgentAccount, AgentAccount.id == LiveHandoff.agent_id)
        .where(LiveHandoff.sender_id == sender_id, LiveHandoff.state.in_(HELD))
        .order_by(LiveHandoff.id.desc())
    ).first()
    if row is None:
        return None
    handoff, agent_name = row
    return Held(
        handoff.id, handoff.sender_id, handoff.channel, handoff.state, handoff.agent_id, agent_name
    )


def agents_present(session: Session, now: datetime) -> int:
    """Agents with a console open now (a session seen within PRESENCE)."""
    found = session.execute(
        select(func.count(func.distinct(AgentSession.agent_id))).where(
            AgentSession.last_seen_at >= now - PRESENCE, AgentSession.expires_at > now
        )
    ).scalar_one()
    return int(found)


def enqueue(
    session: Session, *, sender_id: str, channel: str, reason: str, now: datetime
) -> int:
    """Queue the conversation (once: asking again keeps its place) and return its position,
    1 for the first in line; 0 when an agent holds it already."""
    current = held(session, sender_id)
    if current is None:
        handoff = LiveHandoff(
            sender_id=sender_id, channel=channel, reason=reason, state=QUEUED, queued_at=now
        )
        session.add(handoff)
        session.flush()
        return position(session, handoff.id)
    return position(session, current.id) if current.state == QUEUED else 0


def position(session: Session, handoff_id: int) -> int:
    return int(
        session.execute(
            select(func.count()).where(LiveHandoff.state == QUEUED, LiveHandoff.id <= handoff_id)
        ).scalar_one()
    )


def take(session: Session, handoff_id: int, agent_id: int, now: datetime) -> bool:
    """The agent takes a queued conversation; False when another was quicker or it ended."""
    done = session.execute(
        update(LiveHandoff)
        .where(LiveHandoff.id == handoff_id, LiveHandoff.state == QUEUED)
        .values(state=TAKEN, agent_id=agent_id, taken_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(done.rowcount)


def end(
    session: Session,
    handoff_id: int,
    state: str,
    now: datetime,
    *,
    from_states: Sequence[str] = HELD,
    agent_id: int | None = None,
) -> bool:
    """End a held conversation; with `agent_id`, only if that agent holds it."""
    if state not in ENDED:
        raise ValueError(f"not an end: {state}")
    query = update(LiveHandoff).where(
        LiveHandoff.id == handoff_id, LiveHandoff.state.in_(tuple(from_states))
    )
    if agent_id is not None:
        query = query.where(LiveHandoff.agent_id == agent_id)
    done = session.execute(
        query.values(state=state, ended_at=now).execution_options(synchronize_session=False)
    )
    return bool(done.rowcount)


def overdue(session: Session, now: datetime, wait: timedelta) -> list[Held]:
    """Queued conversations nobody took within `wait`."""
    rows = session.execute(
        select(LiveHandoff).where(LiveHandoff.state == QUEUED, LiveHandoff.queued_at <= now - wait)
    ).scalars()
    return [Held(row.id, row.sender_id, row.channel, row.state) for row in rows]


def recently_ended(
    session: Session, sender_id: str, states: Sequence[str], now: datetime, within: timedelta
) -> bool:
    """Whether the conversation's last handoff ended so within `within` (the assistant then
    offers the support request instead of queueing again at once)."""
    last = session.execute(
        select(LiveHandoff)
        .where(LiveHandoff.sender_id == sender_id)
        .order_by(LiveHandoff.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    return (
        last is not None
        and last.state in states
        and last.ended_at is not None
        and last.ended_at >= now - within
    )


def open_handoffs(session: Session) -> list[LiveHandoff]:
    """Queued and taken conversations, the queue's order."""
    found: Sequence[LiveHandoff] = (
        session.execute(
            select(LiveHandoff).where(LiveHandoff.state.in_(HELD)).order_by(LiveHandoff.id)
        )
        .scalars()
        .all()
    )
    return list(found)

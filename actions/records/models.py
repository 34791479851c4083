"""The tables of the product's records. Times are stored as naive UTC."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import registry
from sqlalchemy.orm.decl_api import DeclarativeMeta
from sqlalchemy.types import TypeDecorator

# Named constraints keep Alembic migrations identical on SQLite and PostgreSQL.
metadata = MetaData(
    naming_convention={
        "pk": "pk_%(table_name)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ix": "ix_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s",
    }
)
mapper_registry = registry(metadata=metadata)


def is_ours(name: str | None, type_: str, parent_names: Any) -> bool:
    """For Alembic: the tables of this module only; Rasa's `events` table is Rasa's."""
    return type_ != "table" or name in metadata.tables


class Cents(TypeDecorator):
    """Money as whole cents: exact on SQLite too, which has no decimal type."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> int | None:
        return None if value is None else int(Decimal(value).scaleb(2).to_integral_value())

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(value).scaleb(-2)


class Base(metaclass=DeclarativeMeta):
    """Declarative base written out as a class, so that type checkers see one."""

    __abstract__ = True
    registry = mapper_registry
    metadata = mapper_registry.metadata
    __init__ = mapper_registry.constructor


class SupportRequest(Base):
    __tablename__ = "support_requests"

    id = Column(Integer, primary_key=True)
    reference = Column(String(32), unique=True)
    created_at = Column(DateTime, nullable=False)
    sender_id = Column(String(255), nullable=False, index=True)
    contact_email = Column(String(320), nullable=False)
    description = Column(Text, nullable=False)
    transcript_text = Column(Text, nullable=False)
    transcript_json = Column(Text, nullable=False)
    # Delivery to the helpdesk (the outbox): pending until a 2xx, then delivered.
    idempotency_key = Column(String(64), unique=True, nullable=False)
    status = Column(String(16), nullable=False, default="pending", index=True)
    attempts = Column(Integer, nullable=False, default=0)
    next_attempt_at = Column(DateTime, nullable=False)
    claimed_until = Column(DateTime)
    last_error = Column(Text)
    delivered_at = Column(DateTime)


class Handoff(Base):
    __tablename__ = "handoffs"

    id = Column(Integer, primary_key=True)
    created_at = Column(DateTime, nullable=False)
    sender_id = Column(String(255), nullable=False, index=True)
    reason = Column(String(64), nullable=False)
    transcript_text = Column(Text, nullable=False)
    transcript_json = Column(Text, nullable=False)
    support_request_id = Column(Integer, ForeignKey("support_requests.id"))


class QuoteRecord(Base):
    __tablename__ = "quotes"

    id = Column(Integer, primary_key=True)
    created_at = Column(DateTime, nullable=False)
    sender_id = Column(String(255), nullable=False, index=True)
    service_id = Column(String(64), nullable=False)
    addon_ids = Column(Text, nullable=False)  # comma-separated, repeated per quantity
    days_to_expiry = Column(Integer, nullable=False)
    rule = Column(String(32), nullable=False)
    fees = Column(Integer, nullable=False)
    net = Column(Cents, nullable=False)
    vat = Column(Cents, nullable=False)
    total = Column(Cents, nullable=False)
    renewal_required = Column(Boolean, nullable=False)


class ConversationEvent(Base):
    """Every Rasa event of every conversation, as the event stream delivered it. A
    redelivered event has the same digest and is not stored twice."""

    __tablename__ = "conversation_events"
    __table_args__ = (UniqueConstraint("sender_id", "digest", name="uq_conversation_events_once"),)

    id = Column(Integer, primary_key=True)
    sender_id = Column(String(255), nullable=False, index=True)
    event_type = Column(String(64), nullable=False)
    timestamp = Column(Float, nullable=False, index=True)  # Rasa's, seconds since the epoch
    action_name = Column(String(255))
    intent = Column(String(255))
    text = Column(Text)
    data = Column(Text, nullable=False)  # the event as Rasa sent it (JSON)
    digest = Column(String(64), nullable=False)


class Erasure(Base):
    """One line per erasure (`make forget`): when, asked by what, how much went. It holds
    no personal data: neither the conversation's id nor the email."""

    __tablename__ = "erasures"

    id = Column(Integer, primary_key=True)
    erased_at = Column(DateTime, nullable=False)
    asked_by = Column(String(16), nullable=False)  # "conversation" or "email"
    conversations = Column(Integer, nullable=False)
    rows_removed = Column(Integer, nullable=False)
    requests_cancelled = Column(Integer, nullable=False)


class AgentAccount(Base):
    """A person who answers customers in the console (`make agent-add`). Only the argon2id
    hash of the password is kept."""

    __tablename__ = "agents"

    id = Column(Integer, primary_key=True)
    name = Column(String(80), nullable=False)  # shown to the customer: "Ora ti risponde Giulia"
    email = Column(String(320), nullable=False, unique=True)
    password_hash = Column(String(255), nullable=False)
    created_at = Column(DateTime, nullable=False)
    active = Column(Boolean, nullable=False, default=True)


class AgentSession(Base):
    """A signed-in console. The cookie carries a random token; only its SHA-256 is stored, so
    a copy of the database signs nobody in. `last_seen_at` is refreshed while the console is
    open: an agent counts as present while it is recent."""

    __tablename__ = "agent_sessions"

    id = Column(Integer, primary_key=True)
    token_hash = Column(String(64), nullable=False, unique=True)
    csrf_token = Column(String(64), nullable=False)
    agent_id = Column(Integer, ForeignKey("agents.id"), nullable=False, index=True)
    created_at = Column(DateTime, nullable=False)
    expires_at = Column(DateTime, nullable=False)
    last_seen_at = Column(DateTime, nullable=False)


class SignInFailure(Base):
    """A wrong password (or an unknown address), kept for the sign-in's rate limit."""

    __tablename__ = "agent_sign_in_failures"

    id = Column(Integer, primary_key=True)
    email = Column(String(320), nullable=False, index=True)
    failed_at = Column(DateTime, nullable=False)


class LiveHandoff(Base):
    """A conversation handed to a person in the same chat: queued, then taken by an agent,
    then handed back or closed (or cancelled by the customer, or left unanswered). While
    queued or taken, the channels keep the conversation away from Rasa's dialogue."""

    __tablename__ = "live_handoffs"

    id = Column(Integer, primary_key=True)
    sender_id = Column(String(255), nullable=False, index=True)
    channel = Column(String(32), nullable=False)  # the input channel: socketio, telegram, rest
    reason = Column(String(64), nullable=False)
    state = Column(String(16), nullable=False, index=True)
    queued_at = Column(DateTime, nullable=False)
    taken_at = Column(DateTime)
    ended_at = Column(DateTime)
    agent_id = Column(Integer, ForeignKey("agents.id"))

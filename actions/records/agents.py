"""Agents' accounts and signed-in sessions for the live-handoff console.

Passwords are hashed with argon2id (argon2-cffi). A session is a random token in a cookie;
the database keeps only its SHA-256 and the session's CSRF token, so sessions hold on every
Rasa server of a cluster and survive a restart. Five wrong passwords for one address within
FAILURE_WINDOW stop further attempts for that address until the window has passed."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from .models import AgentAccount, AgentSession, SignInFailure

MIN_PASSWORD_CHARS = 12
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
SESSION_LIFETIME = timedelta(hours=12)
_HASHER = PasswordHasher()
# Verified when the address is unknown, so that an unknown address takes as long as a known one.
_DUMMY_HASH = _HASHER.hash(secrets.token_urlsafe(16))


@dataclass(frozen=True)
class SignedIn:
    session_id: int
    agent_id: int
    name: str
    csrf_token: str


@dataclass(frozen=True)
class SignInResult:
    signed_in: SignedIn | None = None
    token: str | None = None  # for the cookie; never stored
    retry_after: int = 0  # seconds, when too many attempts failed


def normalized_email(email: str) -> str:
    return email.strip().lower()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def add_agent(
    session: Session, *, name: str, email: str, password: str, now: datetime
) -> AgentAccount:
    name, email = name.strip(), normalized_email(email)
    if not name or "@" not in email:
        raise ValueError("an agent needs a name and an email address")
    if len(password) < MIN_PASSWORD_CHARS:
        raise ValueError(f"the password must have at least {MIN_PASSWORD_CHARS} characters")
    if session.execute(select(AgentAccount).where(AgentAccount.email == email)).first():
        raise ValueError(f"an agent with the address {email} exists already")
    agent: AgentAccount = AgentAccount(
        name=name, email=email, password_hash=_HASHER.hash(password), created_at=now, active=True
    )
    session.add(agent)
    session.flush()
    return agent


def _recent_failures(session: Session, email: str, now: datetime) -> list[datetime]:
    return list(
        session.execute(
            select(SignInFailure.failed_at)
            .where(SignInFailure.email == email, SignInFailure.failed_at > now - FAILURE_WINDOW)
            .order_by(SignInFailure.failed_at)
        ).scalars()
    )


def sign_in(session: Session, email: str, password: str, now: datetime) -> SignInResult:
    email = normalized_email(email)
    failures = _recent_failures(session, email, now)
    if len(failures) >= MAX_FAILURES:
        wait = failures[-MAX_FAILURES] + FAILURE_WINDOW - now
        return SignInResult(retry_after=max(1, int(wait.total_seconds()) + 1))
    agent = session.execute(
        select(AgentAccount).where(AgentAccount.email == email, AgentAccount.active.is_(True))
    ).scalar_one_or_none()
    try:
        _HASHER.verify(agent.password_hash if agent else _DUMMY_HASH, password)
        verified = agent is not None
    except (VerificationError, InvalidHashError):
        verified = False
    if not verified or agent is None:
        session.add(SignInFailure(email=email, failed_at=now))
        return SignInResult()
    session.execute(delete(SignInFailure).where(SignInFailure.email == email))
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    row = AgentSession(
        token_hash=token_hash(token),
        csrf_token=csrf,
        agent_id=agent.id,
        created_at=now,
        expires_at=now + SESSION_LIFETIME,
        last_seen_at=now,
    )
    session.add(row)
    session.flush()
    return SignInResult(SignedIn(row.id, agent.id, agent.name, csrf), token)


def signed_in(session: Session, token: str | None, now: datetime) -> SignedIn | None:
    """The session of a cookie's token, refreshed as seen now; None when unknown or expired."""
    if not token:
        return None
    row = session.execute(
        select(AgentSession, AgentAccount)
        .join(AgentAccount, AgentAccount.id == AgentSession.agent_id)
        .where(
            AgentSession.token_hash == token_hash(token),
            AgentSession.expires_at > now,
            AgentAccount.active.is_(True),
        )
    ).first()
    if row is None:
        return None
    agent_session, agent = row
    agent_session.last_seen_at = now
    return SignedIn(agent_session.id, agent.id, agent.name, agent_session.csrf_token)


def sign_out(session: Session, token: str) -> None:
    session.execute(delete(AgentSession).where(AgentSession.token_hash == token_hash(token)))


def agent_names(session: Session) -> dict[int, str]:
    return {row.id: row.name for row in session.execute(select(AgentAccount)).scalars()}


def purge_sessions(session: Session, now: datetime) -> int:
    """Expired sessions and old failures go (they hold an address)."""
    gone = session.execute(delete(AgentSession).where(AgentSession.expires_at <= now)).rowcount
    session.execute(delete(SignInFailure).where(SignInFailure.failed_at <= now - FAILURE_WINDOW))
    return int(gone or 0)


"""Deliver pending support requests to the helpdesk, durably: a request is marked delivered
only after the helpdesk took it, and a failed one waits longer before each new attempt."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from .helpdesk import DeliveryError, HelpdeskClient
from .models import SupportRequest
from .repository import utc_naive

CLAIM_FOR = timedelta(minutes=2)
MAX_WAIT = timedelta(hours=1)


@dataclass(frozen=True)
class DeliveryReport:
    delivered: list[str]
    failed: list[str]


def retry_delay(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min… up to an hour between attempts."""
    return min(timedelta(seconds=30 * 2 ** max(attempts - 1, 0)), MAX_WAIT)


def payload(request: SupportRequest) -> dict[str, object]:
    return {
        "reference": request.reference,
        "created_at": request.created_at.replace(tzinfo=timezone.utc).isoformat(),
        "contact_email": request.contact_email,
        "subject": f"Upgrade servizio: richiesta {request.reference}",
        "description": request.description,
        "transcript": request.transcript_text,
        "transcript_json": json.loads(request.transcript_json),
    }


def _claim(session: Session, request_id: int, now: datetime) -> bool:
    """Take a request for this worker: two workers never send the same one at once."""
    claimed = session.execute(
        update(SupportRequest)
        .where(
            SupportRequest.id == request_id,
            SupportRequest.status == "pending",
            or_(SupportRequest.claimed_until.is_(None), SupportRequest.claimed_until < now),
        )
        .values(claimed_until=now + CLAIM_FOR)
    )
    session.commit()
    return bool(claimed.rowcount == 1)


def deliver_pending(
    sessions: sessionmaker[Session], client: HelpdeskClient, now: datetime
) -> DeliveryReport:
    current = utc_naive(now)
    with sessions() as session:
        due = (
            session.execute(
                select(SupportRequest.id)
                .where(
                    SupportRequest.status == "pending", SupportRequest.next_attempt_at <= current
                )
                .order_by(SupportRequest.id)
            )
            .scalars()
            .all()
        )
    delivered, failed = [], []
    for request_id in due:
        with sessions() as session:
            if not _claim(session, request_id, current):
                continue
            request = session.get(SupportRequest, request_id)
            assert request is not None and request.reference is not None
            request.attempts += 1
            try:
                client.send(payload(request), request.idempotency_key)
            except DeliveryError as error:
                request.last_error = str(error)
                request.next_attempt_at = current + retry_delay(request.attempts)
                failed.append(request.reference)
            else:
                request.status = "delivered"
                request.delivered_at = current
                request.last_error = None
                delivered.append(request.reference)
            request.claimed_until = None
            session.commit()
    return DeliveryReport(delivered=delivered, failed=failed)

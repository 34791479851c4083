"""Writing and reading the records. Each function takes a session and leaves the commit to
the caller, so that one unit of work commits once."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.expiry import ROME
from ..domain.masking import mask_sensitive
from ..domain.pricing import Quote
from ..domain.transcripts import Transcript
from .models import Handoff, QuoteRecord, SupportRequest


def utc_naive(moment: datetime) -> datetime:
    """Stored times are naive UTC: the same on SQLite and PostgreSQL."""
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


def reference_for(request_id: int, created_at: datetime) -> str:
    year = created_at.replace(tzinfo=timezone.utc).astimezone(ROME).year
    return f"UPG-{year}-{request_id:06d}"


def add_support_request(
    session: Session,
    *,
    sender_id: str,
    contact_email: str,
    description: str,
    transcript: Transcript,
    now: datetime,
) -> SupportRequest:
    """Store a request as pending delivery, with its reference, and the handoff it makes."""
    created = utc_naive(now)
    request: SupportRequest = SupportRequest(
        created_at=created,
        sender_id=sender_id,
        contact_email=contact_email,
        description=mask_sensitive(description),
        transcript_text=transcript.as_text(),
        transcript_json=transcript.as_json(),
        idempotency_key=uuid.uuid4().hex,
        status="pending",
        attempts=0,
        next_attempt_at=created,
    )
    session.add(request)
    session.flush()  # the id makes the reference
    request.reference = reference_for(request.id, created)
    session.add(
        Handoff(
            created_at=created,
            sender_id=sender_id,
            reason=transcript.reason,
            transcript_text=request.transcript_text,
            transcript_json=request.transcript_json,
            support_request_id=request.id,
        )
    )
    return request


def add_handoff(
    session: Session, *, sender_id: str, transcript: Transcript, now: datetime
) -> Handoff:
    handoff: Handoff = Handoff(
        created_at=utc_naive(now),
        sender_id=sender_id,
        reason=transcript.reason,
        transcript_text=transcript.as_text(),
        transcript_json=transcript.as_json(),
    )
    session.add(handoff)
    return handoff


def add_quote(session: Session, *, sender_id: str, quote: Quote, now: datetime) -> QuoteRecord:
    record: QuoteRecord = QuoteRecord(
        created_at=utc_naive(now),
        sender_id=sender_id,
        service_id=quote.service.id,
        addon_ids=",".join(addon.id for addon in quote.addons),
        days_to_expiry=quote.days_to_expiry,
        rule=quote.rule.value,
        fees=quote.fees,
        net=quote.price.net,
        vat=quote.price.vat,
        total=quote.price.total,
        renewal_required=quote.renewal_required,
    )
    session.add(record)
    return record


def support_requests(session: Session, status: str | None = None) -> Sequence[SupportRequest]:
    query = select(SupportRequest).order_by(SupportRequest.id)
    if status:
        query = query.where(SupportRequest.status == status)
    found: Sequence[SupportRequest] = session.execute(query).scalars().all()
    return found

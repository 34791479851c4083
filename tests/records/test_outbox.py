from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from actions.domain.expiry import ROME
from actions.domain.transcripts import Facts, build_transcript
from actions.records.helpdesk import HelpdeskClient, HelpdeskConfig
from actions.records.outbox import deliver_pending, retry_delay
from actions.records.repository import add_support_request, support_requests

from .fake_helpdesk import FakeHelpdesk

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=ROME)


def _store(sessions: sessionmaker[Session], description: str = "più RAM") -> str:
    transcript = build_transcript("c1", "support_request", Facts(), [], NOW)
    with sessions() as session:
        request = add_support_request(
            session,
            sender_id="c1",
            contact_email="mario@example.it",
            description=description,
            transcript=transcript,
            now=NOW,
        )
        session.commit()
        return str(request.reference)


def _client(helpdesk: FakeHelpdesk, timeout: float = 5.0) -> HelpdeskClient:
    config = HelpdeskConfig(
        url=helpdesk.url, token="secret", timeout_seconds=timeout, retries=1, backoff_seconds=0
    )
    return HelpdeskClient(config)


def _statuses(sessions: sessionmaker[Session]) -> list[tuple[str, int]]:
    with sessions() as session:
        return [(r.status, r.attempts) for r in support_requests(session)]


def test_a_request_is_delivered_once_with_its_token(sessions) -> None:
    reference = _store(sessions)
    with FakeHelpdesk() as helpdesk:
        report = deliver_pending(sessions, _client(helpdesk), NOW)
        again = deliver_pending(sessions, _client(helpdesk), NOW + timedelta(hours=2))
    assert report.delivered == [reference] and again.delivered == []
    assert _statuses(sessions) == [("delivered", 1)]
    (ticket,) = helpdesk.tickets.values()
    assert ticket["reference"] == reference and ticket["contact_email"] == "mario@example.it"
    assert "Passaggio a operatore" in ticket["transcript"]
    assert helpdesk.tokens == ["Bearer secret"]


def test_a_helpdesk_down_then_slow_then_back_loses_nothing(sessions) -> None:
    reference = _store(sessions)
    with FakeHelpdesk() as helpdesk:
        helpdesk.mode = "error"
        assert deliver_pending(sessions, _client(helpdesk), NOW).failed == [reference]
        assert helpdesk.calls == 2  # the client retried once within the pass
        # Not due again before its backoff has passed.
        assert (
            deliver_pending(sessions, _client(helpdesk), NOW + timedelta(seconds=10)).failed == []
        )
        helpdesk.mode = "slow"
        later = NOW + retry_delay(1)
        assert deliver_pending(sessions, _client(helpdesk, timeout=0.3), later).failed == [
            reference
        ]
        assert _statuses(sessions) == [("pending", 2)]
        helpdesk.mode = "ok"
        report = deliver_pending(sessions, _client(helpdesk), later + retry_delay(2))
    assert report.delivered == [reference]
    assert _statuses(sessions) == [("delivered", 3)]
    assert len(helpdesk.tickets) == 1


def test_an_answer_lost_after_the_helpdesk_took_it_makes_no_duplicate(sessions) -> None:
    reference = _store(sessions)
    with FakeHelpdesk() as helpdesk:
        helpdesk.mode = "store_then_error"
        report = deliver_pending(sessions, _client(helpdesk), NOW)
    # The retry carried the same Idempotency-Key: the helpdesk said "already have it" (409).
    assert report.delivered == [reference]
    assert len(helpdesk.tickets) == 1


def test_an_unreachable_helpdesk_leaves_the_request_pending(sessions) -> None:
    reference = _store(sessions)
    config = HelpdeskConfig(url="http://127.0.0.1:9/tickets", retries=0, timeout_seconds=0.5)
    report = deliver_pending(sessions, HelpdeskClient(config), NOW)
    assert report.failed == [reference]
    with sessions() as session:
        (request,) = support_requests(session)
        assert request.status == "pending" and "non raggiungibile" in request.last_error


def test_backoff_grows_and_stops_at_an_hour() -> None:
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3)] == [30, 60, 120]
    assert retry_delay(20) == timedelta(hours=1)

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from actions.domain.catalog import default_catalog
from actions.domain.expiry import ROME
from actions.domain.pricing import quote_upgrade
from actions.domain.transcripts import Facts, build_transcript
from actions.records.models import Handoff, QuoteRecord
from actions.records.repository import add_quote, add_support_request, support_requests

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=ROME)


def test_references_count_up_within_the_year(sessions) -> None:
    transcript = build_transcript("c1", "support_request", Facts(), [], NOW)
    with sessions() as session:
        for _ in range(2):
            add_support_request(
                session,
                sender_id="c1",
                contact_email="a@example.it",
                description="paga con 4111 1111 1111 1111",
                transcript=transcript,
                now=NOW,
            )
        session.commit()
    with sessions() as session:
        stored = support_requests(session)
        assert [r.reference for r in stored] == ["UPG-2026-000001", "UPG-2026-000002"]
        assert stored[0].description == "paga con [carta nascosta]"
        assert stored[0].idempotency_key != stored[1].idempotency_key
        handoffs = session.execute(select(Handoff)).scalars().all()
        assert [h.support_request_id for h in handoffs] == [stored[0].id, stored[1].id]
        assert json.loads(handoffs[0].transcript_json)["reason"] == "support_request"


def test_a_quote_is_recorded_with_its_rule_and_amounts(sessions) -> None:
    quote = quote_upgrade(default_catalog(), "ds-pro", ["ram-32", "ssd-960"], 80)
    with sessions() as session:
        add_quote(session, sender_id="c1", quote=quote, now=NOW)
        session.commit()
    with sessions() as session:
        (record,) = session.execute(select(QuoteRecord)).scalars().all()
        assert (record.service_id, record.addon_ids, record.rule) == (
            "ds-pro",
            "ram-32,ssd-960",
            "months_left",
        )
        assert (record.fees, record.total) == (3, Decimal("120.78"))

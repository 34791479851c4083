"""The live handoff's figures in the daily report: the computation alone (waits, agents, the
day's boundaries in Rome), and the report read from `live_handoffs` (SQLite and PostgreSQL),
also from a database older than the live handoff."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy.orm import Session, sessionmaker

from actions.records.db import ROOT
from actions.records.models import AgentAccount, LiveHandoff
from ops.daily_report import (
    HandoffRow,
    LiveHandoffFigures,
    daily_report,
    format_report,
    format_wait,
    live_handoff_figures,
)

DAY = date(2026, 11, 26)  # Rome is UTC+1 then: the day is 25/11 23:00 UTC to 26/11 23:00 UTC
NOON_UTC = datetime(2026, 11, 26, 11, 0)  # naive UTC, as the records store times


def taken(after: float, agent: int = 1, name: str = "Giulia", state: str = "closed",
          queued: datetime = NOON_UTC) -> HandoffRow:
    return HandoffRow(state, queued, queued + timedelta(seconds=after), agent, name)


def test_the_waits_are_the_median_and_the_90th_percentile_of_those_taken() -> None:
    rows = [taken(30), taken(60), taken(90), taken(120), taken(600),
            HandoffRow("cancelled", NOON_UTC), HandoffRow("unanswered", NOON_UTC),
            HandoffRow("queued", NOON_UTC)]  # fmt: skip
    figures = live_handoff_figures(rows, DAY)
    assert figures.handed == 8
    assert figures.wait_median == 90
    # quantiles(n=10, method="inclusive"): 120 + 0.6 × (600 − 120)
    assert figures.wait_p90 == pytest.approx(408)
    assert (figures.cancelled, figures.unanswered) == (1, 1)


def test_one_conversation_taken_is_its_own_median_and_p90() -> None:
    figures = live_handoff_figures([taken(75)], DAY)
    assert figures.wait_median == figures.wait_p90 == 75


def test_nothing_taken_has_no_wait() -> None:
    figures = live_handoff_figures([HandoffRow("cancelled", NOON_UTC)], DAY)
    assert figures == LiveHandoffFigures(1, None, None, 1, 0, [])
    assert format_wait(figures.wait_median) == "—"


@pytest.mark.parametrize(
    ("seconds", "shown"), [(0, "0 s"), (42.4, "42 s"), (59.6, "1:00"), (125, "2:05"),
                           (408, "6:48"), (3600, "60:00")],
)  # fmt: skip
def test_a_wait_is_shown_in_seconds_or_minutes(seconds: float, shown: str) -> None:
    assert format_wait(seconds) == shown


def test_each_agent_counts_the_conversations_taken_most_first() -> None:
    rows = [taken(10, 2, "Marco"), taken(20, 1, "Giulia"), taken(30, 2, "Marco", "returned"),
            taken(40, 3, "Anna"), HandoffRow("unanswered", NOON_UTC)]  # fmt: skip
    assert live_handoff_figures(rows, DAY).by_agent == [("Marco", 2), ("Anna", 1), ("Giulia", 1)]


@pytest.mark.parametrize(
    ("queued", "in_the_day"),
    [
        (datetime(2026, 11, 25, 22, 59), False),  # 23:59 in Rome on the 25th
        (datetime(2026, 11, 25, 23, 0), True),  # Rome's midnight
        (datetime(2026, 11, 25, 23, 30), True),  # 00:30 in Rome: the 26th already
        (datetime(2026, 11, 26, 22, 59), True),
        (datetime(2026, 11, 26, 23, 30), False),  # 00:30 in Rome on the 27th
    ],
)
def test_the_day_is_the_day_in_rome(queued: datetime, in_the_day: bool) -> None:
    figures = live_handoff_figures([taken(30, queued=queued)], DAY)
    assert figures.handed == int(in_the_day)
    assert figures.by_agent == ([("Giulia", 1)] if in_the_day else [])


def test_the_day_summer_time_begins_has_23_hours() -> None:
    # 29/03/2026 in Rome: 28/03 23:00 UTC (UTC+1) to 29/03 22:00 UTC (UTC+2)
    rows = [HandoffRow("cancelled", datetime(2026, 3, 28, 23, 0)),
            HandoffRow("cancelled", datetime(2026, 3, 29, 21, 59)),
            HandoffRow("cancelled", datetime(2026, 3, 29, 22, 0))]  # fmt: skip
    assert live_handoff_figures(rows, date(2026, 3, 29)).cancelled == 2


def _agent(session: Session, name: str) -> int:
    agent = AgentAccount(name=name, email=f"{name.lower()}@example.it", password_hash="x",
                         created_at=NOON_UTC, active=True)  # fmt: skip
    session.add(agent)
    session.flush()
    return int(agent.id)


def _handoff(session: Session, state: str, queued: datetime, after: float | None = None,
             agent: int | None = None) -> None:  # fmt: skip
    session.add(LiveHandoff(
        sender_id=f"c-{queued:%H%M%S}-{state}", channel="socketio", reason="asked", state=state,
        queued_at=queued, taken_at=None if after is None else queued + timedelta(seconds=after),
        ended_at=None, agent_id=agent,
    ))  # fmt: skip


def test_the_report_prints_the_days_live_handoffs(sessions: sessionmaker[Session]) -> None:
    with sessions() as session:
        giulia, marco = _agent(session, "Giulia"), _agent(session, "Marco")
        _handoff(session, "closed", NOON_UTC, 45, marco)
        _handoff(session, "returned", NOON_UTC, 130, giulia)
        _handoff(session, "closed", datetime(2026, 11, 25, 23, 30), 20, marco)  # Rome: the 26th
        _handoff(session, "taken", NOON_UTC, 300, marco)
        _handoff(session, "cancelled", NOON_UTC)
        _handoff(session, "unanswered", NOON_UTC)
        _handoff(session, "unanswered", NOON_UTC + timedelta(hours=1))
        _handoff(session, "queued", NOON_UTC + timedelta(hours=2))
        _handoff(session, "closed", datetime(2026, 11, 26, 23, 30), 10, giulia)  # the 27th
        _handoff(session, "cancelled", datetime(2026, 11, 25, 22, 0))  # the 25th
        session.commit()
        report = daily_report(session, DAY)
    # waits 20, 45, 130, 300: median 87.5; p90 130 + 0.7 × 170 = 249
    assert report.live == LiveHandoffFigures(
        handed=8, wait_median=87.5, wait_p90=pytest.approx(249), cancelled=1, unanswered=2,
        by_agent=[("Marco", 3), ("Giulia", 1)],
    )  # fmt: skip
    text = format_report(report)
    assert "Chat a un operatore:     8" in text
    assert "Attesa mediana / p90:  1:28 / 4:09" in text
    assert "Abbandonate in attesa: 1" in text and "Non prese in tempo:    2" in text
    assert "       3 × Marco" in text and "       1 × Giulia" in text
    assert text.index("× Marco") < text.index("× Giulia")


def _assert_no_live_handoffs(report_text: str, figures: LiveHandoffFigures) -> None:
    assert figures == LiveHandoffFigures(0, None, None, 0, 0, [])
    assert "Chat a un operatore:     0" in report_text
    assert "Attesa mediana / p90:  — / —" in report_text
    assert "Prese da ciascun operatore:\n    (nessuno)" in report_text


def test_a_day_without_live_handoffs_prints_zeros(sessions: sessionmaker[Session]) -> None:
    with sessions() as session:
        report = daily_report(session, DAY)
    _assert_no_live_handoffs(format_report(report), report.live)


def test_a_database_from_before_the_live_handoff_still_has_a_report(
    database_url: str, sessions: sessionmaker[Session]
) -> None:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["database_url"] = database_url
    command.downgrade(config, "0003")  # no agents, no live_handoffs
    with sessions() as session:
        report = daily_report(session, DAY)
    _assert_no_live_handoffs(format_report(report), report.live)

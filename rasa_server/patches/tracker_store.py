"""The SQL tracker store. With an event broker, saving a conversation read it back in full
to find which events are new; the store's own count tells the same. Every message read its
conversation back in full (a JSON parse and a replay of every event): the tracker each
server last saved is kept (a few hundred, the latest used), and a message of a conversation
whose stored events are still those gets it back, with only the events another server
added since applied to it."""

from __future__ import annotations

import itertools
import json
from collections import OrderedDict
from dataclasses import dataclass

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import (
    Event,
    SessionStarted,
    deserialise_events,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY


async def _stream_events(self: SQLTrackerStore, tracker: DialogueStateTracker) -> None:
    """Rasa's `TrackerStore.stream_events`, with the stored events counted, not read."""
    if self.event_broker is None:
        return
    kept = _kept_for(self, tracker)
    if kept is not None:
        stored = kept.stored
    else:
        with self.session_scope() as session:
            stored = self._event_query(
                session, tracker.sender_id, fetch_events_from_all_sessions=False
            ).count()
    new_events = list(itertools.islice(tracker.events, stored, len(tracker.events)))
    await self._stream_new_events(self.event_broker, new_events, tracker.sender_id)


@dataclass
class _Kept:
    tracker: DialogueStateTracker
    stored: int  # events of the session in the store, all of them in `tracker`
    last_id: int  # the highest row id among them


KEPT_TRACKERS = 256  # conversations kept per server: the latest used
_kept: OrderedDict[tuple[int, str], _Kept] = OrderedDict()
_original_retrieve = SQLTrackerStore.retrieve
_original_save = SQLTrackerStore.save


def _last_id(store: SQLTrackerStore, sender_id: str) -> int:
    """The row id of the conversation's last stored event (the sender's index answers)."""
    with store.session_scope() as session:
        (last,) = (
            session.query(sa.func.max(store.SQLEvent.id))
            .filter(store.SQLEvent.sender_id == sender_id)
            .one()
        )
    return int(last or 0)


def _keep(store: SQLTrackerStore, tracker: DialogueStateTracker, last_id: int) -> None:
    key = (id(store), tracker.sender_id)
    _kept[key] = _Kept(tracker, len(tracker.events), last_id)
    _kept.move_to_end(key)
    while len(_kept) > KEPT_TRACKERS:
        _kept.popitem(last=False)


def _kept_for(store: SQLTrackerStore, tracker: DialogueStateTracker) -> _Kept | None:
    kept = _kept.get((id(store), tracker.sender_id))
    return kept if kept is not None and kept.tracker is tracker else None


def _added_since(store: SQLTrackerStore, sender_id: str, last_id: int) -> list[Event]:
    with store.session_scope() as session:
        rows = (
            session.query(store.SQLEvent)
            .filter(store.SQLEvent.sender_id == sender_id, store.SQLEvent.id > last_id)
            .order_by(store.SQLEvent.id)
            .all()
        )
        return deserialise_events([json.loads(row.data) for row in rows])


async def _retrieve(self: SQLTrackerStore, sender_id: str) -> DialogueStateTracker | None:
    """Rasa's `SQLTrackerStore.retrieve`, without reading back what this server holds."""
    kept = _kept.get((id(self), sender_id))
    # Kept and untouched since it was saved (a turn that failed left unsaved events in it).
    if kept is not None and len(kept.tracker.events) == kept.stored:
        last_id = _last_id(self, sender_id)
        added = _added_since(self, sender_id, kept.last_id) if last_id > kept.last_id else []
        # Rows gone (an erasure) or a new session stored elsewhere: read it whole below.
        if last_id >= kept.last_id and not any(isinstance(e, SessionStarted) for e in added):
            for event in added:  # what another server stored meanwhile
                kept.tracker.update(event)
            _keep(self, kept.tracker, last_id)
            return kept.tracker
    tracker = await _original_retrieve(self, sender_id)
    if tracker is None:
        _kept.pop((id(self), sender_id), None)
    else:
        _keep(self, tracker, _last_id(self, sender_id))
    return tracker


async def _save(self: SQLTrackerStore, tracker: DialogueStateTracker) -> None:
    """Rasa's `SQLTrackerStore.save` (rasa/core/tracker_store.py); for a kept tracker the
    number of stored events is known, and the new rows' ids are kept with it."""
    kept = _kept_for(self, tracker)
    if kept is None:
        await _original_save(self, tracker)
        return
    await self.stream_events(tracker)
    new_events = list(itertools.islice(tracker.events, kept.stored, None))
    with self.session_scope() as session:
        rows = []
        for event in new_events:
            data = event.as_dict()
            rows.append(self.SQLEvent(
                sender_id=tracker.sender_id,
                type_name=event.type_name,
                timestamp=data.get("timestamp"),
                intent_name=data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
                action_name=data.get("name"),
                data=json.dumps(data),
            ))
        session.add_all(rows)
        session.flush()
        last_id = rows[-1].id if rows else kept.last_id
        session.commit()
    if any(isinstance(event, SessionStarted) for event in new_events):
        # the store's session is now the new one: the tracker holds the old one too
        _kept.pop((id(self), tracker.sender_id), None)
    else:
        _keep(self, tracker, last_id)


def install() -> None:
    SQLTrackerStore.stream_events = _stream_events
    SQLTrackerStore.retrieve = _retrieve
    SQLTrackerStore.save = _save

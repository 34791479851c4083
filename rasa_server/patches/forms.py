"""A form's temporary tracker for validating slots: Rasa replayed every event since the
last restart; it is the tracker's state copied, plus the form's own events."""

from __future__ import annotations

from rasa.core.actions.forms import FormAction
from rasa.shared.core.constants import REQUESTED_SLOT
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    Event,
    SlotSet,
)
from rasa.shared.core.trackers import DialogueStateTracker

_original_temporary_tracker = FormAction._temporary_tracker


def _temporary_tracker(
    self: FormAction,
    current_tracker: DialogueStateTracker,
    additional_events: list[Event],
    domain: Domain,
) -> DialogueStateTracker:
    """Rasa's `FormAction._temporary_tracker` (a new tracker replaying every event since the
    last restart, plus the form's own), made from a copy of the tracker's state when there
    was no restart and the tracker is an ordinary one with the domain's slots."""
    if (
        current_tracker.idx_after_latest_restart()
        or current_tracker._max_event_history is not None
        or current_tracker.is_rule_tracker
        or list(current_tracker.slots) != [slot.name for slot in domain.slots]
    ):
        return _original_temporary_tracker(self, current_tracker, additional_events, domain)
    tracker = current_tracker.copy()
    for event in [
        SlotSet(REQUESTED_SLOT, self.get_slot_to_fill(current_tracker)),
        ActionExecuted(self.name()),
        *additional_events,
    ]:
        tracker.update(event)
    return tracker


def install() -> None:
    FormAction._temporary_tracker = _temporary_tracker

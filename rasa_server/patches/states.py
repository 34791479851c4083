"""The conversation's states and events as the policies ask for them. The policies asked
for the states several times per prediction, and each time Rasa replayed the whole
conversation: the states made are kept with the replayed tracker, and a later call on the
same events plus new ones makes only the states of the new events (the last state, which
callers change, is made afresh). Which events count (`applied_events`) was worked out from
the first event a dozen times a turn: it is resumed from its last answer. Before each
action Rasa copied the conversation by replaying every event: the copy is made from the
state those events built. The debug text of all the states is made only for a debug log."""

from __future__ import annotations

import copy
import dataclasses
import itertools
import logging
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from rasa.core.policies.policy import Policy
from rasa.shared.core.constants import PREVIOUS_ACTION
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Event,
    Restarted,
    SessionStarted,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from .tracker_store import KEPT_TRACKERS


@dataclass
class _History:
    events: list[Event]  # the applied events the states below were made from
    replay: DialogueStateTracker  # the tracker replayed up to the end of `events`
    states: list[dict[str, Any]]
    last_ml_action: Any
    turn_was_hidden: bool


_histories: OrderedDict[tuple[Any, ...], _History] = OrderedDict()
_original_states_for_tracker_history = Domain.states_for_tracker_history


def _states_for_tracker_history(
    self: Domain,
    tracker: DialogueStateTracker,
    omit_unset_slots: bool = False,
    ignore_rule_only_turns: bool = False,
    rule_only_data: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Rasa's `Domain.states_for_tracker_history` (rasa/shared/core/domain.py), resumed
    from the states already made for the same applied events."""
    applied = tracker.applied_events()
    rule_only = tuple(
        sorted((name, tuple(items)) for name, items in (rule_only_data or {}).items())
    )
    key = (id(self), tracker.sender_id, omit_unset_slots, ignore_rule_only_turns, rule_only)
    kept = _histories.get(key)
    known = len(kept.events) if kept else 0
    if kept is None or len(applied) < known or any(
        mine is not theirs for mine, theirs in zip(kept.events, applied[:known], strict=True)
    ):
        kept = _History([], tracker.init_copy(), [], None, False)
    for event in applied[len(kept.events):]:
        if isinstance(event, ActionExecuted):
            _add_state(self, kept, event.hide_rule_turn, omit_unset_slots,
                       ignore_rule_only_turns, rule_only_data)
        kept.replay.update(event)
        kept.events.append(event)
    _histories[key] = kept
    _histories.move_to_end(key)
    while len(_histories) > KEPT_TRACKERS * 4:  # a few variants per conversation
        _histories.popitem(last=False)
    # The final state (the tracker as it is now) is made on a copy of the scan's variables:
    # the next call continues from the last action, not from here.
    final = _History(kept.events, kept.replay, list(kept.states), kept.last_ml_action,
                     kept.turn_was_hidden)
    _add_state(self, final, False, omit_unset_slots, ignore_rule_only_turns, rule_only_data)
    if final.states:  # callers change the last state (the latest user input): theirs alone
        final.states[-1] = copy.deepcopy(final.states[-1])
    return final.states


def _add_state(
    domain: Domain,
    history: _History,
    hide_rule_turn: bool,
    omit_unset_slots: bool,
    ignore_rule_only_turns: bool,
    rule_only_data: dict[str, Any] | None,
) -> None:
    """One step of Rasa's loop in `states_for_tracker_history`, on `history.replay`."""
    tracker = history.replay
    if ignore_rule_only_turns:
        if not history.turn_was_hidden:
            history.last_ml_action = domain._get_prev_action_sub_state(tracker)
        if not tracker.followup_action and tracker.latest_action_name != (
            tracker.active_loop_name
        ):
            history.turn_was_hidden = hide_rule_turn
        if history.turn_was_hidden:
            return
    state = domain.get_active_state(tracker, omit_unset_slots=omit_unset_slots)
    if ignore_rule_only_turns:
        domain._remove_rule_only_features(state, rule_only_data)
        if history.states:
            domain._substitute_rule_only_user_input(state, history.states[-1])
        if history.last_ml_action:
            state[PREVIOUS_ACTION] = history.last_ml_action
    history.states.append(domain._clean_state(state))


@dataclass
class _Applied:
    seen: int  # events of the tracker taken into account
    last: Event | None  # the last of them
    loop_names: set[str]
    applied: list[Event]


_original_applied_events = DialogueStateTracker.applied_events


def _applied_events(self: DialogueStateTracker) -> list[Event]:
    """Rasa's `DialogueStateTracker.applied_events`, resumed from its last answer for this
    tracker when the events since add no loop name (the only thing an earlier decision of
    Rasa's loop depends on besides the events before it)."""
    events = self.events
    kept: _Applied | None = getattr(self, "_rasa_server_applied", None)
    new_names = {
        event.name for event in itertools.islice(events, kept.seen if kept else 0, None)
        if isinstance(event, ActiveLoop) and event.name
    }
    if (
        kept is None
        or len(events) < kept.seen
        or (kept.seen and events[kept.seen - 1] is not kept.last)
        or not new_names <= kept.loop_names
    ):
        applied = _original_applied_events(self)
        kept = _Applied(len(events), events[-1] if events else None,
                        {e.name for e in events if isinstance(e, ActiveLoop) and e.name},
                        applied)
    elif len(events) > kept.seen:
        loop_names = list(kept.loop_names)
        applied = list(kept.applied)
        for event in itertools.islice(events, kept.seen, None):
            _apply(self, event, loop_names, applied)
        kept = _Applied(len(events), events[-1], kept.loop_names, applied)
    self._rasa_server_applied = kept
    return list(kept.applied)


def _apply(
    tracker: DialogueStateTracker, event: Event, loop_names: list[str], applied: list[Event]
) -> None:
    """One step of Rasa's loop in `DialogueStateTracker.applied_events`."""
    if isinstance(event, (Restarted, SessionStarted)):
        applied.clear()
    elif isinstance(event, ActionReverted):
        tracker._undo_till_previous(ActionExecuted, applied)
    elif isinstance(event, UserUtteranceReverted):
        tracker._undo_till_previous(UserUttered, applied)
        tracker._undo_till_previous(ActionExecuted, applied)
    elif (
        isinstance(event, ActionExecuted)
        and event.action_name in loop_names
        and not tracker._first_loop_execution_or_unhappy_path(event.action_name, applied)
    ):
        tracker._undo_till_previous_loop_execution(event.action_name, applied)
    else:
        applied.append(event)


def _copy(self: DialogueStateTracker) -> DialogueStateTracker:
    """Rasa's `DialogueStateTracker.copy` (a new tracker with every event replayed, for the
    action about to run), made by copying the state the events built instead."""
    other = copy.copy(self)
    other.events = self._create_events(list(self.events))
    slots = type(self.slots)()
    slots.update({name: copy.copy(slot) for name, slot in self.slots.items()})
    other.slots = slots
    other.latest_action = dict(self.latest_action) if self.latest_action is not None else None
    other.active_loop = dataclasses.replace(self.active_loop) if self.active_loop else None
    # what `init_copy` does not carry over
    other.model_id = other.assistant_id = other.sender_source = None
    return other


_original_format_tracker_states = Policy.format_tracker_states


def _format_tracker_states(states: list[dict[str, Any]]) -> str:
    """Rasa's `Policy.format_tracker_states` text is for a debug log line: not made when
    that line is not written (Rasa's default level)."""
    if not logging.getLogger("rasa").isEnabledFor(logging.DEBUG):
        return ""
    return str(_original_format_tracker_states(states))


def install() -> None:
    Domain.states_for_tracker_history = _states_for_tracker_history
    DialogueStateTracker.applied_events = _applied_events
    DialogueStateTracker.copy = _copy
    Policy.format_tracker_states = staticmethod(_format_tracker_states)

"""Measured fixes to Rasa 3.6's hot spots, installed by name where the Rasa server starts
(`python -m rasa_server`); each computes what Rasa computes, once instead of on every call
(py-spy under `make bench`). They were measured on Rasa 3.6 only: on another version they
are not installed, and the log says so (tests/test_rasa_patches.py pins the version).

- Rasa checks every answer of the action server against a JSON schema with
  `jsonschema.validate`, which checks the schema itself and builds a new validator each
  time: about half of the Rasa server's CPU under load. Here the validator is built once.
- Reading a conversation looks up each event's class by walking every subclass of
  `Event` (4% of the CPU at 50 conversations at once). Here the lookup is a dictionary,
  rebuilt when a name is missing (a class imported later).
- With an event broker, saving a conversation read it back in full from the SQL store to
  find which events are new; the store's own count of stored events tells the same.
- Every message read its conversation back in full from the SQL store (a JSON parse and a
  replay of every event). The tracker each server last saved is kept (a few hundred, the
  latest used); a message of a conversation whose stored events are still those gets it
  back, with only the events another server added since applied to it.
- The policies asked for the conversation's states several times per prediction, and each
  time Rasa replayed the whole conversation to make them. The states made are kept with
  the replayed tracker; a later call on the same events plus new ones makes only the
  states of the new events (the last state, which callers change, is made afresh).
- Which events count (`applied_events`, without the reverted ones) was worked out from the
  first event at every call, a dozen times a turn; it is resumed from its last answer.
- Before each action Rasa copied the conversation by replaying every event; the copy is
  made from the state those events built. The policies' debug text of all the states was
  made at every prediction, also when the debug line is not written.
- Each action call carried the whole conversation; the actions read only the current turn
  (from the latest customer message on), and the transcripts read the history from the
  store (actions/records/conversations.py). Only that turn is sent.
"""

from __future__ import annotations

import base64
import copy
import dataclasses
import functools
import itertools
import json
import logging
import math
import zlib
from collections import OrderedDict
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import rasa
import sqlalchemy as sa
import yaml
from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.core.actions.forms import FormAction
from rasa.core.policies import memoization
from rasa.core.policies.memoization import MemoizationPolicy
from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.core.policies.rule_policy import RULES_NOT_IN_STORIES, RulePolicy
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.constants import PREVIOUS_ACTION, REQUESTED_SLOT
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Event,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
    deserialise_events,
)
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from rasa.shared.utils.common import all_subclasses

MEASURED_ON = "3.6."  # the Rasa versions whose code these replacements copy
logger = logging.getLogger(__name__)


@functools.lru_cache(maxsize=1)
def _validator() -> Any:
    schema = RemoteAction.action_response_format_spec()  # a constant, built by a static method
    return validator_for(schema)(schema)


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    try:
        _validator().validate(result)
    except ValidationError as error:  # the same message as Rasa's own
        error.message += (
            ". Failed to validate Action server response from API, make sure your response "
            "from the Action endpoint is valid. For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise
    return True


_EVENT_CLASSES: dict[str, type[Event]] = {}
_original_resolve_by_type = Event.resolve_by_type


def _resolve_by_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
    if type_name not in _EVENT_CLASSES:
        for cls in all_subclasses(Event):
            _EVENT_CLASSES.setdefault(cls.type_name, cls)  # the first, as Rasa's loop finds it
    found = _EVENT_CLASSES.get(type_name)
    if found is not None:
        return found
    return _original_resolve_by_type(type_name, default)  # Rasa's own answer for the rest


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


_original_memoization_predict = MemoizationPolicy.predict_action_probabilities


def _memoization_predict(
    self: MemoizationPolicy,
    tracker: DialogueStateTracker,
    domain: Domain,
    rule_only_data: dict[str, Any] | None = None,
    **kwargs: Any,
) -> PolicyPrediction:
    """Rasa's `MemoizationPolicy.predict_action_probabilities` (memoization.py), with the
    copy of all the states for its debug line made only when that line is written."""
    result = self._default_predictions(domain)
    states = self._prediction_states(tracker, domain, rule_only_data=rule_only_data)
    if logging.getLogger(memoization.__name__).isEnabledFor(logging.DEBUG):
        memoization.structlogger.debug(
            "memoization.predict.actions", tracker_states=copy.deepcopy(states)
        )
    predicted_action_name = self.recall(states, tracker, domain, rule_only_data=rule_only_data)
    if predicted_action_name is not None:
        memoization.logger.debug(f"There is a memorised next action '{predicted_action_name}'")
        result = self._prediction_result(predicted_action_name, tracker, domain)
    else:
        memoization.logger.debug("There is no memorised next action")
    return self._prediction(result)


@functools.lru_cache(maxsize=8192)
def _rule_length(rule_key: str) -> int:
    return len(RulePolicy._rule_key_to_state(rule_key))


_original_possible_keys = RulePolicy._get_possible_keys


def _possible_keys(self: RulePolicy, lookup: dict[str, str], states: list[Any]) -> set[str]:
    """Rasa's `RulePolicy._get_possible_keys`, stopped once the states left are older than
    the longest rule still possible: Rasa's `_is_rule_applicable` holds every rule there
    (a rule says nothing of what came before it), so the rest of the walk removes none."""
    possible_keys = set(lookup.keys())
    for index, state in enumerate(reversed(states)):
        if not possible_keys or index >= max(map(_rule_length, possible_keys)):
            break
        possible_keys = {
            key for key in possible_keys if self._is_rule_applicable(key, index, state)
        }
    return possible_keys


def _most_states(keys: Iterable[str], decode: Any) -> float:
    """The most states in one of `keys` (feature keys, each a list of states once decoded);
    infinite when a key cannot be read back, so that no shortcut below is taken."""
    most = 0
    for key in keys:
        try:
            states = decode(key)
        except Exception:  # whatever fails, the shortcut is not taken
            return math.inf
        if not isinstance(states, list):
            return math.inf
        most = max(most, len(states))
    return most


def _memorised_key_states(key: str, compressed: bool) -> Any:
    """A MemoizationPolicy key back to its states: JSON without quotes, which YAML reads."""
    text = zlib.decompress(base64.b64decode(key)).decode() if compressed else key
    return yaml.safe_load(text)


def _longest(policy: Policy, name: str, part: Any, decode: Any) -> float:
    """`_most_states` of a part of a loaded policy's lookup, worked out once per lookup."""
    attribute = f"_rasa_server_longest_{name}"
    cached = policy.__dict__.get(attribute)
    if cached is None or cached[0] is not policy.lookup or cached[1] != len(policy.lookup):
        cached = (policy.lookup, len(policy.lookup), _most_states(part, decode))
        policy.__dict__[attribute] = cached
    return float(cached[2])


_original_recall_states = MemoizationPolicy._recall_states


def _recall_states(self: MemoizationPolicy, states: list[Any]) -> str | None:
    """Rasa's `MemoizationPolicy._recall_states`: the memorised action for these states.
    Its key is made of all the states (JSON, compressed); a conversation longer than every
    memorised one has none, and is answered so without making the key."""
    if type(self) is MemoizationPolicy:
        compressed = bool(self.config["enable_feature_string_compression"])
        longest = _longest(
            self, "memorised", self.lookup,
            functools.partial(_memorised_key_states, compressed=compressed),
        )
        if len(states) > longest:
            return None
    return _original_recall_states(self, states)


_predicting_rules: ContextVar[bool] = ContextVar("rasa_server_predicting_rules", default=False)
_original_rule_predict = RulePolicy.predict_action_probabilities
_original_rule_feature_key = RulePolicy._create_feature_key
NO_RULE_KEY = "(no rule: more states than any rule)"  # not JSON: equal to no rule's key


def _rule_predict(
    self: RulePolicy,
    tracker: DialogueStateTracker,
    domain: Domain,
    rule_only_data: dict[str, Any] | None = None,
    **kwargs: Any,
) -> PolicyPrediction:
    token = _predicting_rules.set(True)
    try:
        return _original_rule_predict(self, tracker, domain, rule_only_data, **kwargs)
    finally:
        _predicting_rules.reset(token)


def _rule_feature_key(self: RulePolicy, states: list[Any]) -> str | None:
    """Rasa's `RulePolicy._create_feature_key`. When predicting, the key of the states no
    rule matched (the JSON of all of them) serves only to ask whether it is one of the
    rules that no story uses; a key of more states than any of those is none of them, and
    neither is `NO_RULE_KEY`, which is answered without writing the whole conversation."""
    if _predicting_rules.get():
        listed = self.lookup.get(RULES_NOT_IN_STORIES, [])
        longest = _longest(self, RULES_NOT_IN_STORIES, listed, json.loads)
        if NO_RULE_KEY not in listed:
            counted = 0
            for state in reversed(states):
                if self._is_rule_snippet_state(state) or counted > longest:
                    break
                counted += 1
            if counted > longest:
                return NO_RULE_KEY
    return _original_rule_feature_key(self, states)


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


def current_turn(events: Iterable[Event]) -> list[Event]:
    """The events from the latest customer message on (all of them when there is none)."""
    turn: list[Event] = []
    for event in reversed(list(events)):
        turn.append(event)
        if isinstance(event, UserUttered):
            break
    return turn[::-1]


def _action_call_format(
    self: RemoteAction, tracker: DialogueStateTracker, domain: Domain
) -> dict[str, Any]:
    """Rasa's `RemoteAction._action_call_format`, with the current turn's events only."""
    state = tracker.current_state(EventVerbosity.NONE)
    state["events"] = [event.as_dict() for event in current_turn(tracker.events)]
    result: dict[str, Any] = {
        "next_action": self._name,
        "sender_id": tracker.sender_id,
        "tracker": state,
        "version": rasa.__version__,
    }
    if (
        not self._is_selective_domain_enabled()
        or domain.does_custom_action_explicitly_need_domain(self.name())
    ):
        result["domain"] = domain.as_dict()
    return result


def install(version: str = rasa.__version__) -> bool:
    """Install the fixes if Rasa is the version they were measured on; say which happened."""
    if not version.startswith(MEASURED_ON):
        logger.warning(
            "Rasa %s: the speed fixes of rasa_server/patches.py were measured on %sx only and "
            "are not installed; Rasa runs as shipped (measure again with `make bench`).",
            version, MEASURED_ON,
        )
        return False
    RemoteAction._validate_action_result = _validate_action_result
    Event.resolve_by_type = staticmethod(_resolve_by_type)
    SQLTrackerStore.stream_events = _stream_events
    SQLTrackerStore.retrieve = _retrieve
    Domain.states_for_tracker_history = _states_for_tracker_history
    DialogueStateTracker.applied_events = _applied_events
    DialogueStateTracker.copy = _copy
    Policy.format_tracker_states = staticmethod(_format_tracker_states)
    SQLTrackerStore.save = _save
    RemoteAction._action_call_format = _action_call_format
    MemoizationPolicy.predict_action_probabilities = _memoization_predict
    RulePolicy._get_possible_keys = _possible_keys
    FormAction._temporary_tracker = _temporary_tracker
    MemoizationPolicy._recall_states = _recall_states
    RulePolicy.predict_action_probabilities = _rule_predict
    RulePolicy._create_feature_key = _rule_feature_key
    logger.info("Rasa %s: speed fixes installed (rasa_server/patches.py)", version)
    return True

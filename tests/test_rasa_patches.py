"""The Rasa fixes in rasa_server/patches/: installed only on the Rasa they were measured on,
and, installed, answering as Rasa's own code does."""

from __future__ import annotations

import copy
import inspect
import json
import logging
import time
from pathlib import Path
from typing import Any

import pytest
import rasa
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.core.actions.forms import FormAction
from rasa.core.brokers.broker import EventBroker
from rasa.core.policies.memoization import MemoizationPolicy
from rasa.core.policies.policy import Policy
from rasa.core.policies.rule_policy import RulePolicy
from rasa.core.tracker_store import SQLTrackerStore
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActionReverted,
    ActiveLoop,
    BotUttered,
    Event,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from rasa.shared.utils.common import all_subclasses

from rasa_server import patches
from rasa_server.patches import action_calls, events, policies, tracker_store

# Rasa's own methods, kept before any test installs the fixes.
ORIGINAL_ACTION_CALL_FORMAT = RemoteAction._action_call_format
ORIGINAL_STREAM_EVENTS = SQLTrackerStore.stream_events
ORIGINAL_RETRIEVE = SQLTrackerStore.retrieve
ORIGINAL_STATES = Domain.states_for_tracker_history
ORIGINAL_APPLIED = DialogueStateTracker.applied_events
ORIGINAL_COPY = DialogueStateTracker.copy
ORIGINAL_FORMAT = Policy.format_tracker_states
ORIGINAL_MEMOIZATION_PREDICT = MemoizationPolicy.predict_action_probabilities
ORIGINAL_POSSIBLE_KEYS = RulePolicy._get_possible_keys
ORIGINAL_TEMPORARY_TRACKER = FormAction._temporary_tracker
ORIGINAL_RECALL = MemoizationPolicy._recall_states
ORIGINAL_RULE_PREDICT = RulePolicy.predict_action_probabilities
ORIGINAL_RULE_KEY = RulePolicy._create_feature_key


# Every method the fixes replace, as Rasa ships it (the raw entry: a staticmethod stays
# one; an inherited method is the base class's), kept before any test installs them.
REPLACED = [
    (RemoteAction, "_validate_action_result"), (RemoteAction, "_action_call_format"),
    (Event, "resolve_by_type"),
    (SQLTrackerStore, "stream_events"), (SQLTrackerStore, "retrieve"), (SQLTrackerStore, "save"),
    (Domain, "states_for_tracker_history"), (DialogueStateTracker, "applied_events"),
    (DialogueStateTracker, "copy"), (Policy, "format_tracker_states"),
    (MemoizationPolicy, "predict_action_probabilities"), (MemoizationPolicy, "_recall_states"),
    (RulePolicy, "predict_action_probabilities"), (RulePolicy, "_get_possible_keys"),
    (RulePolicy, "_create_feature_key"), (FormAction, "_temporary_tracker"),
]
AS_SHIPPED = {(owner, name): inspect.getattr_static(owner, name) for owner, name in REPLACED}


@pytest.fixture
def installed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fixes installed for one test; Rasa's own methods are put back after it."""
    for (owner, name), method in AS_SHIPPED.items():
        monkeypatch.setattr(owner, name, method)
    assert patches.install()
    # Each one the fixes replace is put back after the test, as listed here.
    assert [key for key, method in AS_SHIPPED.items()
            if inspect.getattr_static(*key) is method] == []


def test_the_installed_rasa_is_the_one_the_fixes_were_measured_on() -> None:
    # A new Rasa: measure again (make bench), check the copies below, then move MEASURED_ON.
    assert rasa.__version__.startswith(patches.MEASURED_ON)


def test_another_rasa_is_left_as_shipped_and_the_log_says_so(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    shipped_validate = RemoteAction._validate_action_result
    shipped_resolve = Event.__dict__["resolve_by_type"]
    shipped_format = RemoteAction._action_call_format
    with caplog.at_level(logging.WARNING, logger=patches.__name__):
        assert patches.install(version="3.7.0") is False
    assert RemoteAction._validate_action_result is shipped_validate
    assert Event.__dict__["resolve_by_type"] is shipped_resolve
    assert RemoteAction._action_call_format is shipped_format
    assert "3.7.0" in caplog.text and "not installed" in caplog.text


@pytest.mark.usefixtures("installed")
def test_action_answers_are_validated_as_rasa_validates_them() -> None:
    assert RemoteAction._validate_action_result is action_calls._validate_action_result
    action = RemoteAction("action_quote", None)
    valid = {"events": [{"event": "slot", "name": "service", "value": "ds-entry"}],
             "responses": [{"text": "ciao"}]}
    assert action._validate_action_result(valid) is True
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        action._validate_action_result({"events": "not a list", "responses": []})


@pytest.mark.usefixtures("installed")
def test_event_classes_are_found_as_rasa_finds_them() -> None:
    names = {cls.type_name for cls in all_subclasses(Event)}
    assert names
    for name in names:
        assert Event.resolve_by_type(name) is events._original_resolve_by_type(name)
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no_such_event")


def a_conversation(turns: int) -> DialogueStateTracker:
    # As Rasa logs a session start: the action's event made first, the action logged first.
    started = SessionStarted()
    tracker = DialogueStateTracker.from_events("t", [
        ActionExecuted("action_session_start"), started, ActionExecuted("action_listen"),
    ], Domain.empty().slots)  # the slots a store's tracker has
    for number in range(turns):
        tracker.update(UserUttered(f"messaggio {number}", {"name": "inform", "confidence": 1}))
        tracker.update(ActionExecuted("upgrade_form"))
        tracker.update(BotUttered(f"risposta {number}"))
        tracker.update(ActionExecuted("action_listen"))
    tracker.update(UserUttered("ultimo", {"name": "inform", "confidence": 1}))
    return tracker


@pytest.mark.usefixtures("installed")
def test_an_action_call_carries_the_current_turn_and_otherwise_what_rasa_sends(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tracker = a_conversation(5)
    domain = Domain.empty()
    action = RemoteAction("action_quote", None)
    sent = action._action_call_format(tracker, domain)
    monkeypatch.setattr(RemoteAction, "_action_call_format", ORIGINAL_ACTION_CALL_FORMAT)
    rasas = action._action_call_format(tracker, domain)
    assert [event["event"] for event in sent["tracker"].pop("events")] == ["user"]
    assert len(rasas["tracker"].pop("events")) == len(tracker.events)
    assert sent == rasas


def test_the_current_turn_starts_at_the_latest_customer_message() -> None:
    tracker = a_conversation(2)
    tracker.update(ActionExecuted("action_quote"))
    assert [type(event) for event in action_calls.current_turn(tracker.events)] == [
        UserUttered, ActionExecuted,
    ]
    assert action_calls.current_turn([ActionExecuted("action_listen")]) == [
        ActionExecuted("action_listen")
    ]


class Broker(EventBroker):
    def __init__(self) -> None:
        self.published: list[dict[str, Any]] = []

    def publish(self, event: dict[str, Any]) -> None:
        self.published.append(event)


async def test_the_stream_gets_the_new_events_as_rasa_finds_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    published = {}
    for name, stream in (("patched", tracker_store._stream_events),
                         ("rasa", ORIGINAL_STREAM_EVENTS)):
        monkeypatch.setattr(SQLTrackerStore, "stream_events", stream)
        broker = Broker()
        store = SQLTrackerStore(Domain.empty(), db=str(tmp_path / f"{name}.db"),
                                event_broker=broker)
        tracker = a_conversation(2)
        await store.save(tracker)
        first = len(broker.published)
        tracker.update(ActionExecuted("action_quote"))
        tracker.update(BotUttered("preventivo"))
        await store.save(tracker)  # the rest of the turn
        tracker = await store.retrieve("t")  # the next turn, read back as the server does
        assert tracker is not None
        tracker.update(ActionExecuted("action_listen"))
        await store.save(tracker)
        published[name] = (first, [event["event"] for event in broker.published])
    assert published["patched"] == published["rasa"]
    first, kinds = published["rasa"]
    assert first == len(a_conversation(2).events)  # each event once
    assert kinds[first:] == ["action", "bot", "action"]


async def rasas_retrieve(store: SQLTrackerStore, sender: str) -> dict[str, Any]:
    tracker = await ORIGINAL_RETRIEVE(store, sender)
    assert tracker is not None
    return tracker.current_state(EventVerbosity.ALL)


@pytest.mark.usefixtures("installed")
async def test_a_kept_tracker_is_the_one_rasa_would_read_back(tmp_path: Path) -> None:
    url = str(tmp_path / "store.db")
    here = SQLTrackerStore(Domain.empty(), db=url)
    there = SQLTrackerStore(Domain.empty(), db=url)  # another Rasa server, same database
    await here.save(a_conversation(3))

    tracker = await here.retrieve("t")
    assert tracker is not None and tracker is await here.retrieve("t")  # kept, not re-read
    assert tracker.current_state(EventVerbosity.ALL) == await rasas_retrieve(here, "t")

    # A turn on this server, then one on the other: the kept tracker takes the other's events.
    tracker.update(ActionExecuted("action_quote"))
    await here.save(tracker)
    elsewhere = await there.retrieve("t")
    assert elsewhere is not None
    elsewhere.update(BotUttered("dall'altro server"))
    await there.save(elsewhere)
    again = await here.retrieve("t")
    assert again is tracker
    assert again.current_state(EventVerbosity.ALL) == await rasas_retrieve(here, "t")

    # A turn that failed before it was saved: its events are not taken for stored ones.
    again.update(UserUttered("mai salvato"))
    fresh = await here.retrieve("t")
    assert fresh is not again
    assert fresh is not None and fresh.current_state(EventVerbosity.ALL) == await rasas_retrieve(
        here, "t"
    )


@pytest.mark.usefixtures("installed")
async def test_a_new_session_elsewhere_is_read_back_whole(tmp_path: Path) -> None:
    url = str(tmp_path / "store.db")
    here, there = SQLTrackerStore(Domain.empty(), db=url), SQLTrackerStore(Domain.empty(), db=url)
    await here.save(a_conversation(2))
    kept = await here.retrieve("t")
    elsewhere = await there.retrieve("t")
    assert kept is not None and elsewhere is not None
    started = SessionStarted()
    elsewhere.update(ActionExecuted("action_session_start"))
    elsewhere.update(started)
    elsewhere.update(ActionExecuted("action_listen"))
    await there.save(elsewhere)
    fresh = await here.retrieve("t")
    assert fresh is not kept
    assert fresh is not None and fresh.current_state(EventVerbosity.ALL) == await rasas_retrieve(
        here, "t"
    )


DOMAIN_FILE = Path(__file__).resolve().parents[1] / "domain.yml"
RULE_ONLY = {"rule_only_slots": ["support_wanted"], "rule_only_loops": ["support_form"]}


def grown_conversation() -> list[Event]:
    """A conversation with a form, slots, a fallback's reverted turn and a rejected action."""
    return [
        ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen"),
        UserUttered("vorrei 16 gb", {"name": "request_quote", "confidence": 1},
                    [{"entity": "addon", "value": "ram"}]),
        ActionExecuted("upgrade_form"), ActiveLoop("upgrade_form"),
        SlotSet("addons", ["ram-16"]), SlotSet("requested_slot", "service"),
        ActionExecuted("action_listen"),
        UserUttered("boh", {"name": "nlu_fallback", "confidence": 0.3}),
        ActionExecuted("action_default_ask_affirmation"), ActionExecuted("action_listen"),
        UserUttered("entry", {"name": "inform", "confidence": 1}),
        UserUtteranceReverted(),
        UserUttered("server entry", {"name": "inform", "confidence": 1}),
        ActionExecuted("upgrade_form", hide_rule_turn=True), SlotSet("service", "ds-entry"),
        ActionExecutionRejected("upgrade_form"),
        ActionExecuted("action_answer_vat", hide_rule_turn=True), ActionReverted(),
        ActionExecuted("upgrade_form"), SlotSet("requested_slot", None), ActiveLoop(None),
        ActionExecuted("action_quote"), SlotSet("support_wanted", True),
        ActionExecuted("action_listen"),
        UserUttered("grazie", {"name": "thank", "confidence": 1}),
    ]


@pytest.mark.usefixtures("installed")
@pytest.mark.parametrize("omit_unset_slots", [False, True])
@pytest.mark.parametrize("ignore_rule_only_turns", [False, True])
def test_the_states_are_the_ones_rasa_makes_at_every_step(
    omit_unset_slots: bool, ignore_rule_only_turns: bool
) -> None:
    domain = Domain.load(str(DOMAIN_FILE))
    tracker = DialogueStateTracker("states", domain.slots)
    options = {"omit_unset_slots": omit_unset_slots,
               "ignore_rule_only_turns": ignore_rule_only_turns,
               "rule_only_data": RULE_ONLY}
    for event in grown_conversation():
        tracker.update(event, domain)
        for _ in range(2):  # asked again for the same events, as the policies do
            ours = tracker.past_states(domain, **options)
            rasas = ORIGINAL_STATES(domain, tracker, **options)
            assert ours == rasas
            if ours and "user" in ours[-1]:
                ours[-1]["user"].clear()  # a caller changing the last state changes no other


@pytest.mark.usefixtures("installed")
def test_the_applied_events_are_the_ones_rasa_finds_at_every_step() -> None:
    domain = Domain.load(str(DOMAIN_FILE))
    tracker = DialogueStateTracker("applied", domain.slots)
    for event in [*grown_conversation(), ActiveLoop("support_form"),
                  ActionExecuted("support_form"), Restarted(), ActionExecuted("action_listen")]:
        tracker.update(event, domain)
        for _ in range(2):
            ours = tracker.applied_events()
            assert ours == ORIGINAL_APPLIED(tracker)
            ours.clear()  # a caller's list is its own


@pytest.mark.usefixtures("installed")
def test_a_copy_is_the_tracker_rasa_replays_and_stays_apart() -> None:
    domain = Domain.load(str(DOMAIN_FILE))
    tracker = DialogueStateTracker("copied", domain.slots)
    tracker.model_id = "model-1"
    for event in grown_conversation():
        tracker.update(event, domain)
        ours, rasas = tracker.copy(), ORIGINAL_COPY(tracker)
        assert ours.current_state(EventVerbosity.ALL) == rasas.current_state(EventVerbosity.ALL)
        assert {**vars(ours), "events": None, "slots": None, "_rasa_server_applied": None} == {
            **vars(rasas), "events": None, "slots": None, "_rasa_server_applied": None
        }
        assert list(ours.events) == list(rasas.events)
        before = tracker.current_state(EventVerbosity.ALL)
        extra = [SlotSet("service", "ds-pro"), ActiveLoop("support_form")]
        for copied in (ours, rasas):  # what an action does to its copy
            for added in extra:
                copied.update(added)
        assert ours.current_state(EventVerbosity.ALL) == rasas.current_state(EventVerbosity.ALL)
        assert tracker.current_state(EventVerbosity.ALL) == before  # the original untouched


@pytest.mark.usefixtures("installed")
def test_the_states_text_is_made_only_for_a_debug_log(caplog: pytest.LogCaptureFixture) -> None:
    states = [{"user": {"intent": "greet"}, "prev_action": {"action_name": "action_listen"}}]
    assert Policy.format_tracker_states(states) == ""
    with caplog.at_level(logging.DEBUG, logger="rasa"):
        assert Policy.format_tracker_states(states) == ORIGINAL_FORMAT(states) != ""



def policy(kind: type[Policy], tmp_path: Path) -> Any:
    return kind.create(kind.get_default_config(), LocalModelStorage(tmp_path), Resource("p"),
                       ExecutionContext(GraphSchema({}), "test"))


@pytest.mark.usefixtures("installed")
def test_memoization_predicts_as_rasa_and_copies_the_states_only_for_a_debug_log(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    domain = Domain.load(str(DOMAIN_FILE))
    memo = policy(MemoizationPolicy, tmp_path)
    tracker = DialogueStateTracker("memo", domain.slots)
    recalled = 0
    for number, event in enumerate(grown_conversation()):
        tracker.update(event, domain)
        if number % 3 == 0:  # what was memorised for some of the steps: the next action
            states = memo._prediction_states(tracker, domain, rule_only_data=RULE_ONLY)
            memo.lookup[memo._create_feature_key(states)] = "action_quote"
        ours = memo.predict_action_probabilities(tracker, domain, rule_only_data=RULE_ONLY)
        rasas = ORIGINAL_MEMOIZATION_PREDICT(memo, tracker, domain, rule_only_data=RULE_ONLY)
        assert ours == rasas
        recalled += max(ours.probabilities) == 1.0
    assert recalled >= 5
    copied: list[Any] = []
    real_deepcopy = copy.deepcopy

    def watched_deepcopy(value: Any, *args: Any) -> Any:
        if isinstance(value, list):  # the list of all states (not the last state alone)
            copied.append(value)
        return real_deepcopy(value, *args)

    with pytest.MonkeyPatch.context() as watch:
        watch.setattr(copy, "deepcopy", watched_deepcopy)
        memo.predict_action_probabilities(tracker, domain, rule_only_data=RULE_ONLY)
        assert copied == []
        with caplog.at_level(logging.DEBUG, logger="rasa.core.policies.memoization"):
            memo.predict_action_probabilities(tracker, domain, rule_only_data=RULE_ONLY)
        assert copied and copied[0] == memo._prediction_states(tracker, domain,
                                                               rule_only_data=RULE_ONLY)


@pytest.mark.usefixtures("installed")
def test_the_possible_rules_are_the_ones_rasa_finds(tmp_path: Path) -> None:
    domain = Domain.load(str(DOMAIN_FILE))
    rules = policy(RulePolicy, tmp_path)
    tracker = DialogueStateTracker("rules", domain.slots)
    seen: list[list[dict[str, Any]]] = []
    for event in grown_conversation():
        tracker.update(event, domain)
        seen.append(tracker.past_states(domain))
    # Rules of 1 to 4 states cut from the conversation: each matches where it was cut, some
    # elsewhere too; one state changed makes a rule that matches nowhere.
    lookup = {}
    for states in seen:
        for length in range(1, 5):
            if len(states) >= length:
                lookup[json.dumps(states[-length:], sort_keys=True)] = "action_quote"
                changed = [dict(state) for state in states[-length:]]
                changed[0] = {**changed[0], "active_loop": {"name": "support_form"}}
                lookup[json.dumps(changed, sort_keys=True)] = "utter_ask_service"
    found = 0
    for states in seen:
        ours = rules._get_possible_keys(lookup, states)
        assert ours == ORIGINAL_POSSIBLE_KEYS(rules, lookup, states)
        found += len(ours)
    assert found > len(seen)  # the rules matched, more than one at some steps
    assert rules._get_possible_keys({}, seen[-1]) == set()


@pytest.mark.usefixtures("installed")
@pytest.mark.parametrize("restarted", [False, True])
def test_a_form_s_temporary_tracker_is_the_one_rasa_replays(
    restarted: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(time, "time", lambda: 1795855281.0)  # the form's events, made twice
    domain = Domain.load(str(DOMAIN_FILE))
    form = FormAction("upgrade_form", None)
    tracker = DialogueStateTracker("form", domain.slots)
    events = grown_conversation()
    if restarted:
        events[8:8] = [Restarted(), ActionExecuted("action_listen")]
    for event in events:
        tracker.update(event, domain)
        before = tracker.current_state(EventVerbosity.ALL)
        added = [SlotSet("service", "ds-pro")]
        ours = form._temporary_tracker(tracker, added, domain)
        rasas = ORIGINAL_TEMPORARY_TRACKER(form, tracker, added, domain)
        assert ours.current_state(EventVerbosity.ALL) == rasas.current_state(EventVerbosity.ALL)
        assert list(ours.events) == list(rasas.events)
        assert (ours.sender_source, ours.model_id, ours.is_rule_tracker) == (
            rasas.sender_source, rasas.model_id, rasas.is_rule_tracker)
        assert tracker.current_state(EventVerbosity.ALL) == before


@pytest.mark.usefixtures("installed")
def test_memoization_recalls_as_rasa_without_a_key_for_longer_conversations(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    domain = Domain.load(str(DOMAIN_FILE))
    memo = policy(MemoizationPolicy, tmp_path)
    tracker = DialogueStateTracker("recall", domain.slots)
    seen = []
    for event in grown_conversation():
        tracker.update(event, domain)
        seen.append(tracker.past_states(domain))
    for states in seen[:8]:  # the memorised stories: as long as the first eight steps
        memo.lookup[memo._create_feature_key(states)] = "action_quote"
    longest = max(len(states) for states in seen[:8])
    keys_made: list[int] = []
    real_key = MemoizationPolicy._create_feature_key

    def counted_key(self: MemoizationPolicy, states: list[Any]) -> str | None:
        keys_made.append(len(states))
        return real_key(self, states)

    monkeypatch.setattr(MemoizationPolicy, "_create_feature_key", counted_key)
    for states in seen:
        assert memo._recall_states(states) == ORIGINAL_RECALL(memo, states)
    assert sum(memo._recall_states(states) is not None for states in seen) >= 5
    assert max(len(states) for states in seen) > longest
    keys_made.clear()
    for states in seen:
        memo._recall_states(states)
    assert keys_made and max(keys_made) <= longest  # no key for the longer ones
    memo.lookup["not a key"] = "action_quote"  # a key it cannot read: Rasa's way throughout
    keys_made.clear()
    assert [memo._recall_states(states) for states in seen] == [
        ORIGINAL_RECALL(memo, states) for states in seen]
    assert max(keys_made) == max(len(states) for states in seen)


@pytest.mark.usefixtures("installed")
def test_rules_predict_as_rasa_without_the_key_of_a_long_conversation(tmp_path: Path) -> None:
    domain = Domain.load(str(DOMAIN_FILE))
    rules = policy(RulePolicy, tmp_path)
    rules.lookup = {"rules": {}, "rules_for_loop_unhappy_path": {}, "rules_not_in_stories": [],
                    "rule_only_slots": [], "rule_only_loops": []}
    tracker = DialogueStateTracker("rule-keys", domain.slots)
    seen = []
    for event in grown_conversation():  # the states the policy predicts from, at each step
        tracker.update(event, domain)
        seen.append(rules._prediction_states(tracker, domain, False, rule_only_data={}))
    rule_keys = {json.dumps(states[-2:], sort_keys=True): "action_quote" for states in seen[3::4]}
    # Rules no story uses: one of the rules, and the whole of an early, ruleless conversation.
    not_in_stories = [next(iter(rule_keys)), json.dumps(seen[2], sort_keys=True)]
    rules.lookup.update(rules=rule_keys, rules_not_in_stories=not_in_stories)
    replay = DialogueStateTracker("rule-keys", domain.slots)
    hidden = 0
    for event in grown_conversation():
        replay.update(event, domain)
        ours = rules.predict_action_probabilities(replay, domain)
        rasas = ORIGINAL_RULE_PREDICT(rules, replay, domain)
        assert ours == rasas and ours.hide_rule_turn == rasas.hide_rule_turn
        hidden += ours.hide_rule_turn
    assert hidden >= 2
    long_states = seen[-1]
    assert len(long_states) > 3
    predicting = policies._predicting_rules.set(True)  # as within predict_action_probabilities
    try:
        assert rules._create_feature_key(long_states) == policies.NO_RULE_KEY
    finally:
        policies._predicting_rules.reset(predicting)
    assert rules._create_feature_key(long_states) == json.dumps(long_states, sort_keys=True)

"""MemoizationPolicy and RulePolicy, where they still walked the whole conversation each
prediction: a deep copy of all the states for a debug line not written; RulePolicy's walk
of every state with every rule still possible (a rule says nothing of what came before
it); and a key made of every state where no memorised story or listed rule is that long,
which matches none."""

from __future__ import annotations

import base64
import copy
import functools
import json
import logging
import math
import zlib
from collections.abc import Iterable
from contextvars import ContextVar
from typing import Any

import yaml
from rasa.core.policies import memoization
from rasa.core.policies.memoization import MemoizationPolicy
from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.core.policies.rule_policy import RULES_NOT_IN_STORIES, RulePolicy
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

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


def install() -> None:
    MemoizationPolicy.predict_action_probabilities = _memoization_predict
    RulePolicy._get_possible_keys = _possible_keys
    MemoizationPolicy._recall_states = _recall_states
    RulePolicy.predict_action_probabilities = _rule_predict
    RulePolicy._create_feature_key = _rule_feature_key

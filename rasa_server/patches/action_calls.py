"""The calls to the action server. Rasa checks every answer against a JSON schema with
`jsonschema.validate`, which checks the schema itself and builds a new validator each time
(about half of the Rasa server's CPU under load): here the validator is built once. Each
call carried the whole conversation; the actions read only the current turn (from the
latest customer message on), and the transcripts read the history from the store
(actions/records/conversations.py): only that turn is sent."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

import rasa
from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    Event,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity


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


def install() -> None:
    RemoteAction._validate_action_result = _validate_action_result
    RemoteAction._action_call_format = _action_call_format

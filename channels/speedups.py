"""Measured fixes to Rasa 3.6's hot spots, applied when Rasa loads our connectors; each
computes what Rasa computes, once instead of on every call (py-spy under `make bench`).

- Rasa checks every answer of the action server against a JSON schema with
  `jsonschema.validate`, which checks the schema itself and builds a new validator each
  time: about half of the Rasa server's CPU under load. Here the validator is built once.
- Reading a conversation looks up each event's class by walking every subclass of
  `Event` (4% of the CPU at 50 conversations at once). Here the lookup is a dictionary,
  rebuilt when a name is missing (a class imported later).
"""

from __future__ import annotations

import functools
from typing import Any

from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses


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


def install() -> None:
    RemoteAction._validate_action_result = _validate_action_result
    Event.resolve_by_type = staticmethod(_resolve_by_type)

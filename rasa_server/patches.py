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
"""

from __future__ import annotations

import functools
import logging
from typing import Any

import rasa
from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event
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
    logger.info("Rasa %s: speed fixes installed (rasa_server/patches.py)", version)
    return True

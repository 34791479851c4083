"""The Rasa fixes in channels/speedups.py answer as Rasa's own code does."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses

import channels  # noqa: F401  (installs the fixes)
from channels.speedups import _original_resolve_by_type


def test_action_answers_are_validated_as_rasa_validates_them() -> None:
    action = RemoteAction("action_quote", None)
    valid = {"events": [{"event": "slot", "name": "service", "value": "ds-entry"}],
             "responses": [{"text": "ciao"}]}
    assert action._validate_action_result(valid) is True
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        action._validate_action_result({"events": "not a list", "responses": []})


def test_event_classes_are_found_as_rasa_finds_them() -> None:
    names = {cls.type_name for cls in all_subclasses(Event)}
    for name in names:
        assert Event.resolve_by_type(name) is _original_resolve_by_type(name)
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no_such_event")

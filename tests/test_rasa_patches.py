"""The Rasa fixes in rasa_server/patches.py: installed only on the Rasa they were measured on,
and, installed, answering as Rasa's own code does."""

from __future__ import annotations

import logging

import pytest
import rasa
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses

from rasa_server import patches


@pytest.fixture
def installed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fixes installed for one test; Rasa's own methods are put back after it."""
    monkeypatch.setattr(RemoteAction, "_validate_action_result",
                        RemoteAction._validate_action_result)
    monkeypatch.setattr(Event, "resolve_by_type", Event.__dict__["resolve_by_type"])
    assert patches.install()


def test_the_installed_rasa_is_the_one_the_fixes_were_measured_on() -> None:
    # A new Rasa: measure again (make bench), check the copies below, then move MEASURED_ON.
    assert rasa.__version__.startswith(patches.MEASURED_ON)


def test_another_rasa_is_left_as_shipped_and_the_log_says_so(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    shipped_validate = RemoteAction._validate_action_result
    shipped_resolve = Event.__dict__["resolve_by_type"]
    with caplog.at_level(logging.WARNING, logger=patches.__name__):
        assert patches.install(version="3.7.0") is False
    assert RemoteAction._validate_action_result is shipped_validate
    assert Event.__dict__["resolve_by_type"] is shipped_resolve
    assert "3.7.0" in caplog.text and "not installed" in caplog.text


@pytest.mark.usefixtures("installed")
def test_action_answers_are_validated_as_rasa_validates_them() -> None:
    assert RemoteAction._validate_action_result is patches._validate_action_result
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
        assert Event.resolve_by_type(name) is patches._original_resolve_by_type(name)
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no_such_event")

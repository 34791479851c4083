"""Each call of an action speaks the conversation's language: Rasa SDK's executor runs the
action with `texts.speaking()` set from the tracker's `language` slot, so the texts and the
figures the action assembles (actions/texts.py) need no language passed through every call.
A context variable: concurrent calls of the action server each keep their own."""

from __future__ import annotations

from typing import Any

from rasa_sdk.executor import ActionExecutor

from .domain.language import SLOT, parse
from .texts import speaking_in

_original_run = ActionExecutor.run


async def _run_in_language(self: ActionExecutor, action_call: dict[str, Any]) -> Any:
    slots = (action_call.get("tracker") or {}).get("slots") or {}
    with speaking_in(parse(slots.get(SLOT))):
        return await _original_run(self, action_call)


def install() -> None:
    ActionExecutor.run = _run_in_language

"""Rasa's REST channel with its input checked: a clear HTTP 400 for a request no client
should send (not JSON, no sender, a sender too long for the tracker store, a message that is
not text), and the guard's answers for empty or overlong messages and for silence."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from .guard import answer
from .incoming import BadRequestError, checked_message, checked_metadata, checked_sender


def read_request(request: Request) -> tuple[str, str, dict[str, Any] | None]:
    """Sender, cleaned text and metadata of a webhook call, or BadRequestError."""
    try:
        body = request.json
    except Exception as error:  # Sanic's own error for a body that is not JSON / not UTF-8
        raise BadRequestError("the body must be a JSON object") from error
    if not isinstance(body, dict):
        raise BadRequestError("the body must be a JSON object with 'sender' and 'message'")
    return (
        checked_sender(body.get("sender")),
        checked_message(body.get("message")),
        checked_metadata(body.get("metadata")),
    )


class CheckedRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        rest = Blueprint("checked_rest_webhook", __name__)

        @rest.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @rest.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                sender, text, metadata = read_request(request)
            except BadRequestError as error:
                return response.json({"error": str(error)}, status=400)
            collector = CollectingOutputChannel()
            await answer(on_new_message, text, collector, sender, self.name(), metadata)
            return response.json(collector.messages)

        return rest

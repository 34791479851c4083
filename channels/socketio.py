"""Rasa's socketio channel (the web widget's) accepting browsers only from `CHAT_ORIGINS`.

Rasa 3.6 builds its socket.io server with CORS handling switched off (`[]`: every origin
is accepted, websockets included); this connector sets the allow-list on the same server
before it serves.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Awaitable, Callable
from typing import Any

import socketio
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint

from .guard import answer
from .incoming import checked_message, checked_metadata, checked_sender
from .origins import ENV_VAR, parse_origins

logger = logging.getLogger(__name__)


class WidgetSocketIOInput(SocketIOInput):
    allowed_origins: list[str] | None = None

    @classmethod
    def name(cls) -> str:
        return "socketio"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        channel = super().from_credentials(credentials)
        assert isinstance(channel, WidgetSocketIOInput)
        # None: engineio then accepts only pages served by the Rasa server's own origin.
        channel.allowed_origins = parse_origins(os.environ.get(ENV_VAR, "")) or None
        return channel

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        assert self.sio is not None
        engine = self.sio.eio
        engine.cors_allowed_origins = self.allowed_origins
        # Rasa's Sanic-Cors (`rasa run --cors`, given the same list by scripts/run.sh) writes
        # the CORS headers on every route, this one too; a second copy from engineio would
        # make browsers refuse the polling transport ("multiple values"). engineio still
        # refuses connections from other origins, the websocket ones included.
        engine._cors_headers = lambda environ: []
        self._share_rooms()
        self._guard_messages(on_new_message)
        logger.info("socketio accepts browsers from: %s", self.allowed_origins or "same origin")
        return blueprint

    def _share_rooms(self) -> None:
        """With `REDIS_URL` (the cluster), a message emitted to a conversation's room on one
        Rasa server reaches the customer's socket on whichever server holds it: an agent's
        reply (channels/live_handoff.py) is sent by the server the console talks to."""
        url = os.environ.get("REDIS_URL")
        if not url:
            return
        assert self.sio is not None
        manager = socketio.AsyncRedisManager(url, channel="helpdesk-socketio")
        manager.set_server(self.sio)
        self.sio.manager = manager
        logger.info("socketio rooms shared through Redis")

    def _guard_messages(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> None:
        """Replace Rasa's message handler with one that goes through the guard (a message
        checked and cleaned, an apology instead of silence); the protocol is Rasa's."""
        sio = self.sio
        assert sio is not None

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: str, data: Any) -> None:
            if not isinstance(data, dict):
                return
            sender = data.get("session_id") if self.session_persistence else sid
            metadata = data.get(self.metadata_key)
            try:
                sender = checked_sender(sender)
                text = checked_message(data.get("message"))
                # Rasa's protocol lets a client send the metadata as a JSON string.
                metadata = checked_metadata(
                    json.loads(metadata) if isinstance(metadata, str) else metadata
                )
            except ValueError as error:  # BadRequestError or JSON's own
                logger.warning("socketio message from %s refused: %s", sid, error)
                return
            output = SocketIOOutput(sio, self.bot_message_evt)
            await answer(on_new_message, text, output, sender, self.name(), metadata)

"""Rasa's socketio channel (the web widget's) accepting browsers only from `CHAT_ORIGINS`.

Rasa 3.6 builds its socket.io server with CORS handling switched off (`[]`: every origin
is accepted, websockets included); this connector sets the allow-list on the same server
before it serves.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint

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
        logger.info("socketio accepts browsers from: %s", self.allowed_origins or "same origin")
        return blueprint

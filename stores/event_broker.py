"""Rasa's RabbitMQ (pika) event broker, configured by one URL, that never stops the
assistant: it connects in the background (Rasa's own gives up starting after 20 tries),
keeps the events of an outage in memory — up to a bound — and sends them once RabbitMQ is
back. Customers are answered all along.

Rasa's own loses the events in flight when the connection drops: their publishes wait for
a confirmation that never comes, neither sent nor kept. Here an event not confirmed by
RabbitMQ within `CONFIRM_TIMEOUT_S` is kept and sent again (the consumer recognises one that
did arrive)."""

from __future__ import annotations

import asyncio
import logging
from asyncio import AbstractEventLoop
from collections import deque
from typing import Any
from urllib.parse import unquote, urlsplit

from rasa.core.brokers.pika import PikaEventBroker
from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)
# Events kept while RabbitMQ is away (a few hours of a busy day); the oldest go first.
MAX_UNPUBLISHED = 100_000
# RabbitMQ confirms in milliseconds; past this the connection is gone with the event.
CONFIRM_TIMEOUT_S = 10.0


def split_amqp_url(url: str) -> tuple[str, str, str, int]:
    """amqp://user:password@host:port/vhost → (amqp://host/vhost, user, password, port)."""
    parts = urlsplit(url)
    path = parts.path if parts.path not in ("", "/") else ""
    host = f"{parts.scheme}://{parts.hostname}{path}"
    return host, unquote(parts.username or "guest"), unquote(parts.password or "guest"), (
        parts.port or 5672
    )


class ResilientPikaEventBroker(PikaEventBroker):
    _closing = False
    _resender: asyncio.Future[None] | None = None

    @classmethod
    async def from_endpoint_config(
        cls, broker_config: EndpointConfig | None, event_loop: AbstractEventLoop | None = None
    ) -> ResilientPikaEventBroker | None:
        if broker_config is None:
            return None
        host, username, password, port = split_amqp_url(broker_config.url)
        settings = {**broker_config.kwargs, "connection_attempts": 1, "retry_delay_in_seconds": 2}
        broker = cls(host, username, password, port, event_loop=event_loop, **settings)
        broker._unpublished_events = deque(maxlen=MAX_UNPUBLISHED)
        broker._connector = asyncio.ensure_future(broker._connect_until_done())
        return broker

    async def _connect_until_done(self) -> None:
        while True:
            try:
                await self.connect()
            except Exception as error:
                logger.warning("RabbitMQ unreachable (%s): events wait in memory", error)
                await asyncio.sleep(self._retry_delay_in_seconds)
                continue
            self._publish_unpublished_messages()
            return

    async def _publish(self, event: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        if self._exchange is None:  # not connected yet: Rasa's would drop the event
            self._keep(event)
            return
        try:
            await asyncio.wait_for(
                self._exchange.publish(self._message(event, headers), ""), CONFIRM_TIMEOUT_S
            )
        except Exception as error:
            logger.debug("event not sent to RabbitMQ (%s): kept to send again", error)
            self._keep(event)

    def _keep(self, event: dict[str, Any]) -> None:
        self._unpublished_events.append(event)
        if self._resender is None or self._resender.done():
            self._resender = asyncio.ensure_future(self._resend_when_connected())

    async def _resend_when_connected(self) -> None:
        """Rasa resends the kept events when aio-pika reconnects; an event whose publish
        fails after that moment would wait for the next outage, so it is resent here."""
        while self._unpublished_events and not self._closing:
            await asyncio.sleep(self._retry_delay_in_seconds)
            if self._connection is not None and self._connection.connected.is_set():
                self._publish_unpublished_messages()

    async def close(self) -> None:
        self._closing = True
        for task in (getattr(self, "_connector", None), getattr(self, "_resender", None)):
            if task is not None:
                task.cancel()
        await super().close()

"""Rasa's RabbitMQ (pika) event broker, configured by one URL, that never stops the
assistant: it connects in the background (Rasa's own gives up starting after 20 tries),
keeps the events of an outage in memory — up to a bound — and sends them once RabbitMQ is
back. Customers are answered all along."""

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


def split_amqp_url(url: str) -> tuple[str, str, str, int]:
    """amqp://user:password@host:port/vhost → (amqp://host/vhost, user, password, port)."""
    parts = urlsplit(url)
    path = parts.path if parts.path not in ("", "/") else ""
    host = f"{parts.scheme}://{parts.hostname}{path}"
    return host, unquote(parts.username or "guest"), unquote(parts.password or "guest"), (
        parts.port or 5672
    )


class ResilientPikaEventBroker(PikaEventBroker):
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
            self._unpublished_events.append(event)
            return
        await super()._publish(event, headers)

    async def close(self) -> None:
        connector = getattr(self, "_connector", None)
        if connector is not None:
            connector.cancel()
        await super().close()

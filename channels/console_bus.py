"""What the agents' consoles are told live: the queue changed, a customer wrote, a
conversation ended. Each open console (a server-sent-events stream) holds a queue here.

One process has one bus. With `REDIS_URL` (the cluster profile) every publication also goes
through a Redis channel and each process hands on what the others published, so a console
open on one Rasa server hears of a customer writing to another."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import uuid
from typing import Any

logger = logging.getLogger(__name__)
CHANNEL = "helpdesk:agent-console"
# A console too slow to read its queue gets one "queue" event instead of the backlog.
MAX_PENDING = 200

Event = tuple[str, dict[str, Any]]


class ConsoleBus:
    def __init__(self, redis_url: str | None = None) -> None:
        self._subscribers: set[asyncio.Queue[Event]] = set()
        self._redis_url = redis_url
        self._redis: Any = None
        self._origin = uuid.uuid4().hex  # so that a process skips its own publications
        self._relay: asyncio.Task[None] | None = None

    @classmethod
    def from_env(cls) -> ConsoleBus:
        return cls(os.environ.get("REDIS_URL") or None)

    def subscribe(self) -> asyncio.Queue[Event]:
        queue: asyncio.Queue[Event] = asyncio.Queue(MAX_PENDING)
        self._subscribers.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[Event]) -> None:
        self._subscribers.discard(queue)

    def _deliver(self, kind: str, data: dict[str, Any]) -> None:
        for queue in list(self._subscribers):
            try:
                queue.put_nowait((kind, data))
            except asyncio.QueueFull:
                while not queue.empty():
                    queue.get_nowait()
                queue.put_nowait(("queue", {}))

    async def publish(self, kind: str, data: dict[str, Any] | None = None) -> None:
        data = data or {}
        self._deliver(kind, data)
        if self._redis is not None:
            message = json.dumps({"origin": self._origin, "kind": kind, "data": data})
            try:
                await self._redis.publish(CHANNEL, message)
            except Exception:  # the local consoles have it; the others catch up on reconnect
                logger.exception("console event not relayed through Redis")

    async def start(self) -> None:
        if not self._redis_url or self._relay is not None:
            return
        import redis.asyncio as redis_asyncio

        self._redis = redis_asyncio.from_url(self._redis_url)
        self._relay = asyncio.create_task(self._listen())

    async def stop(self) -> None:
        if self._relay is not None:
            self._relay.cancel()
            self._relay = None
        if self._redis is not None:
            await self._redis.close()
            self._redis = None

    async def _listen(self) -> None:
        while True:
            try:
                pubsub = self._redis.pubsub()
                await pubsub.subscribe(CHANNEL)
                async for message in pubsub.listen():
                    if message.get("type") != "message":
                        continue
                    item = json.loads(message["data"])
                    if item.get("origin") != self._origin:
                        self._deliver(item["kind"], item.get("data") or {})
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("console relay lost Redis: retrying")
                await asyncio.sleep(2)

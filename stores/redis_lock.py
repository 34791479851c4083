"""A Redis lock store that lets one replica at a time handle a conversation.

Rasa's `RedisLockStore` issues tickets by reading a serialised lock, changing it and
writing it back: not atomic, so two replicas can take the same ticket and handle two
messages of one conversation at once (rasa issue 9213). Here the lock is one Redis key
taken with SET NX PX; its holder keeps it alive while it works and alone may release it
(compare-and-delete in Lua); a holder that dies (a replica killed) lets it expire after
`lock_lifetime` seconds, so the conversation is not blocked for long.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from typing import Any

import redis.asyncio as redis
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LockError, LockStore
from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)

RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0
"""
EXTEND = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end
return 0
"""


class AtomicRedisLockStore(LockStore):
    def __init__(self, endpoint_config: EndpointConfig | None = None) -> None:
        settings: dict[str, Any] = dict(endpoint_config.kwargs) if endpoint_config else {}
        self.url = (endpoint_config.url if endpoint_config else None) or "redis://127.0.0.1:6379/0"
        self.prefix = f"{settings.get('key_prefix', 'upgrade')}:lock:"
        # Long enough for a slow message, short enough that a dead replica's lock goes soon.
        self.lifetime = float(settings.get("lock_lifetime", 10))
        # How long a message may wait for the ones before it (20 at once: a few seconds).
        self.max_wait = float(settings.get("max_wait", 120))
        self._client: redis.Redis | None = None

    def _redis(self) -> redis.Redis:
        if self._client is None:
            self._client = redis.from_url(self.url, socket_timeout=5)
        return self._client

    @asynccontextmanager
    async def lock(
        self, conversation_id: str, lock_lifetime: float = 0, wait_time_in_seconds: float = 0
    ) -> AsyncGenerator[TicketLock, None]:
        # Rasa's lifetime and polling interval are for its tickets; this lock has its own
        # (`lock_lifetime`, `max_wait` in the endpoint's settings).
        client = self._redis()
        key = self.prefix + conversation_id
        token = uuid.uuid4().hex
        lifetime_ms = int(self.lifetime * 1000)
        deadline = time.monotonic() + self.max_wait
        pause = 0.005
        try:
            while not await client.set(key, token, nx=True, px=lifetime_ms):
                if time.monotonic() > deadline:
                    raise LockError(f"conversation {conversation_id!r} stayed busy too long")
                await asyncio.sleep(pause)
                pause = min(pause * 2, 0.05)
        except redis.RedisError as error:
            raise LockError(f"lock store unavailable: {error}") from error
        keeper = asyncio.create_task(self._keep_alive(client, key, token, lifetime_ms))
        try:
            yield TicketLock(conversation_id)
        finally:
            keeper.cancel()
            try:
                await client.eval(RELEASE, 1, key, token)
            except redis.RedisError:
                logger.warning("lock of %s not released: it expires by itself", conversation_id)

    @staticmethod
    async def _keep_alive(client: redis.Redis, key: str, token: str, lifetime_ms: int) -> None:
        while True:
            await asyncio.sleep(lifetime_ms / 3000)
            try:
                await client.eval(EXTEND, 1, key, token, lifetime_ms)
            except redis.RedisError as error:
                logger.warning("lock %s not extended: %s", key, error)

    # Rasa's ticket interface, used only by its own lock(), which this class replaces.
    def get_lock(self, conversation_id: str) -> TicketLock | None:
        raise NotImplementedError("AtomicRedisLockStore has no tickets")

    def delete_lock(self, conversation_id: str) -> None:
        raise NotImplementedError("AtomicRedisLockStore has no tickets")

    def save_lock(self, lock: TicketLock) -> None:
        raise NotImplementedError("AtomicRedisLockStore has no tickets")

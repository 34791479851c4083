"""The cluster's lock store against the real Redis (skipped with a message without one)."""

from __future__ import annotations

import asyncio
import socket
import uuid

import pytest
from rasa.utils.endpoints import EndpointConfig

from stores.redis_lock import AtomicRedisLockStore

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def store() -> AtomicRedisLockStore:
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", 6379)) != 0:
            pytest.skip("Redis not reachable at 127.0.0.1:6379: the lock store tests need it")
    config = EndpointConfig(url=REDIS_URL, key_prefix=f"test-{uuid.uuid4().hex[:6]}",
                            lock_lifetime=1, max_wait=10)
    return AtomicRedisLockStore(endpoint_config=config)


async def test_one_holder_at_a_time_across_store_instances(store: AtomicRedisLockStore) -> None:
    # Two instances: two replicas, as far as the lock is concerned.
    other = AtomicRedisLockStore(endpoint_config=EndpointConfig(
        url=REDIS_URL, key_prefix=store.prefix.split(":")[0], lock_lifetime=1, max_wait=10))
    inside = 0
    most = 0
    order: list[int] = []

    async def handle(number: int) -> None:
        nonlocal inside, most
        async with (store if number % 2 else other).lock("conversation"):
            inside += 1
            most = max(most, inside)
            await asyncio.sleep(0.01)
            order.append(number)
            inside -= 1

    await asyncio.gather(*(handle(number) for number in range(20)))
    assert most == 1 and sorted(order) == list(range(20))


async def test_a_long_turn_keeps_its_lock(store: AtomicRedisLockStore) -> None:
    async with store.lock("slow"):
        await asyncio.sleep(2.5)  # past the 1 s lifetime: the holder extends it
        client = store._redis()
        assert await client.exists(store.prefix + "slow")
    assert not await store._redis().exists(store.prefix + "slow")


async def test_a_dead_holders_lock_expires(store: AtomicRedisLockStore) -> None:
    # A replica killed while holding the lock: its key stays, nobody extends it.
    await store._redis().set(store.prefix + "orphan", "dead-replica", px=1000)
    started = asyncio.get_running_loop().time()
    async with store.lock("orphan"):
        waited = asyncio.get_running_loop().time() - started
    assert 0.5 < waited < 3


async def test_a_held_lock_is_released_only_by_its_holder(store: AtomicRedisLockStore) -> None:
    async with store.lock("mine"):
        await store._redis().set(store.prefix + "mine", "someone-else", px=5000)
    # Leaving did not delete the other holder's lock.
    assert await store._redis().get(store.prefix + "mine") == b"someone-else"

"""The event broker alone against a real RabbitMQ, through a proxy the test cuts while
publishes are in flight: every event arrives (possibly twice, never lost). The publishes in
flight give up waiting after aio-pika has reconnected (it retries after 5 s, they wait
7 s), as in production with its 10 s."""

from __future__ import annotations

import asyncio
import json
import uuid

import aio_pika
import pytest
import rasa.shared.core.events  # noqa: F401  (Rasa's broker reads it as an attribute)
from rasa.utils.endpoints import EndpointConfig

from stores import event_broker
from stores.event_broker import ResilientPikaEventBroker

from .conftest import listening
from .tcp_proxy import TcpProxy

RABBITMQ = 5672


async def _publish_across_a_cut(proxy: TcpProxy, queue_name: str) -> set[int]:
    connection = await aio_pika.connect_robust(f"amqp://guest:guest@127.0.0.1:{RABBITMQ}/")
    async with connection:
        channel = await connection.channel()
        queue = await channel.declare_queue(queue_name, durable=True)
        config = EndpointConfig(
            url=f"amqp://guest:guest@127.0.0.1:{proxy.port}/", queues=[queue_name]
        )
        broker = await ResilientPikaEventBroker.from_endpoint_config(config)
        assert broker is not None
        # a first event that arrives: the connection, the channel and the exchange are up
        broker.publish({"sender_id": "broker-test", "event": "user", "n": -1})
        while (probe := await queue.get(fail=False)) is None:
            await asyncio.sleep(0.05)
        await probe.ack()
        for number in range(300):  # in flight when the connection is cut
            broker.publish({"sender_id": "broker-test", "event": "user", "n": number})
        await asyncio.sleep(0.003)
        proxy.stop()
        for number in range(300, 400):  # during the outage
            broker.publish({"sender_id": "broker-test", "event": "user", "n": number})
            await asyncio.sleep(0.01)
        proxy.start()
        received: set[int] = set()
        for _ in range(60):
            await asyncio.sleep(0.5)
            while (message := await queue.get(fail=False)) is not None:
                received.add(json.loads(message.body)["n"])
                await message.ack()
            if received >= set(range(400)):
                break
        await broker.close()
        await queue.delete(if_unused=False, if_empty=False)
    return received


def test_events_in_flight_when_rabbitmq_goes_away_are_sent_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if not listening(RABBITMQ):
        pytest.skip("RabbitMQ is not running on 127.0.0.1:5672 (the CI machine has it)")
    monkeypatch.setattr(event_broker, "CONFIRM_TIMEOUT_S", 7.0)
    proxy = TcpProxy(RABBITMQ).start()
    try:
        received = asyncio.run(_publish_across_a_cut(proxy, f"broker-test-{uuid.uuid4().hex}"))
    finally:
        proxy.stop()
    # Delivery is at least once (the consumer stores a repeat once): the probe, whose
    # confirmation may still be on its way at the cut, can come again; nothing may be lost.
    assert received - {-1} == set(range(400))

"""The event stream's consumer: reads Rasa's events from the RabbitMQ queue and stores each
once in the product database (`conversation_events`), what has arrived in one transaction,
acknowledging a message only after its commit — a crash before the commit gets the message
redelivered, a redelivery after it is recognised and not stored twice.

    python -m ops.consume_events    (RABBITMQ_URL, RABBITMQ_QUEUE, DATABASE_URL)
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal

import aio_pika
from aio_pika.abc import AbstractIncomingMessage
from sqlalchemy.exc import SQLAlchemyError

from actions.records.db import make_sessions
from ops.event_stream import NotAnEventError, event_row, store_events

logger = logging.getLogger("consume_events")
DEFAULT_URL = "amqp://guest:guest@127.0.0.1:5672/"
DEFAULT_QUEUE = "rasa_events"


BATCH = 200  # messages stored in one transaction at most (and RabbitMQ's prefetch)
GATHER_S = 0.05  # how long a batch waits for more after its first message


async def consume(url: str, queue_name: str) -> None:
    sessions = make_sessions()
    connection = await aio_pika.connect_robust(url)
    async with connection:
        channel = await connection.channel()
        await channel.set_qos(prefetch_count=BATCH)
        # Declared as Rasa's broker declares it (durable), whichever of the two starts first.
        queue = await channel.declare_queue(queue_name, durable=True)
        inbox: asyncio.Queue[AbstractIncomingMessage] = asyncio.Queue()
        await queue.consume(inbox.put)
        stored = repeated = 0
        loop = asyncio.get_running_loop()
        while True:
            # What arrives within GATHER_S of the first, up to a batch: one commit for all.
            batch = [await inbox.get()]
            until = loop.time() + GATHER_S
            while len(batch) < BATCH and (left := until - loop.time()) > 0:
                try:
                    batch.append(await asyncio.wait_for(inbox.get(), left))
                except asyncio.TimeoutError:
                    break
            rows, kept = [], []
            for message in batch:
                try:
                    rows.append(event_row(json.loads(message.body)))
                    kept.append(message)
                except (ValueError, NotAnEventError) as error:
                    logger.warning("dropped a message that is not a Rasa event: %s", error)
                    await message.reject(requeue=False)
            try:
                with sessions() as session:
                    new = store_events(session, rows)
            except SQLAlchemyError:
                logger.exception("database unavailable: the messages go back to the queue")
                for message in kept:
                    await message.nack(requeue=True)
                await asyncio.sleep(1)
                continue
            if kept:  # every earlier delivery is acked, requeued or rejected already
                await kept[-1].ack(multiple=True)
            before = stored + repeated
            stored, repeated = stored + new, repeated + len(rows) - new
            if (stored + repeated) // 500 > before // 500:
                logger.info("%d events stored, %d redeliveries ignored", stored, repeated)


async def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    url = os.environ.get("RABBITMQ_URL") or DEFAULT_URL
    task = asyncio.create_task(consume(url, os.environ.get("RABBITMQ_QUEUE") or DEFAULT_QUEUE))
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, task.cancel)
    try:
        await task
    except asyncio.CancelledError:
        # Stopped between two messages or within one: an event committed but not yet
        # acknowledged comes back and is recognised.
        logger.info("stopped by a signal")


if __name__ == "__main__":
    asyncio.run(main())

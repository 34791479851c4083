"""The benchmark's customers: they talk to the assistant over REST, as `make bench` drives
them, and what they measure (latency of every reply, errors, messages per second)."""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass, field

import aiohttp
import numpy as np

from bench.conversations import CONVERSATIONS

REST = "http://127.0.0.1:5005/webhooks/rest/webhook"
ACTIONS_HEALTH = "http://127.0.0.1:5055/health"
# Conversations each simulated customer has, one after the other, per concurrency level:
# enough messages for stable percentiles, few enough for a run of minutes.
CONVERSATIONS_PER_USER = {1: 6, 10: 3, 50: 2}


@dataclass
class LevelRun:
    messages: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)

    @property
    def per_second(self) -> float:
        return self.messages / self.seconds if self.seconds else 0.0


async def first_answer(session: aiohttp.ClientSession, started: float) -> float:
    """Seconds from the start of `run.sh` to the first REST answer with a text."""
    while time.monotonic() - started < 300:
        try:
            async with session.post(REST, json={"sender": "boot", "message": "ciao"}) as reply:
                if reply.status == 200 and any("text" in item for item in await reply.json()):
                    return time.monotonic() - started
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.2)
    raise RuntimeError("the assistant did not answer within 5 minutes (see var/log/)")


async def ready(session: aiohttp.ClientSession, url: str, started: float) -> None:
    while time.monotonic() - started < 300:
        try:
            async with session.get(url) as reply:
                if reply.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within 5 minutes (see var/log/)")


async def customer(
    session: aiohttp.ClientSession, user: int, conversations: int, run: LevelRun,
    scripts: list[list[str]] = CONVERSATIONS,
) -> None:
    for number in range(conversations):
        script = scripts[(user + number) % len(scripts)]
        sender = f"bench-{user}-{number}-{uuid.uuid4().hex[:8]}"
        for message in script:
            sent = time.perf_counter()
            try:
                async with session.post(REST, json={"sender": sender, "message": message}) as reply:
                    answer = await reply.json()
                    ok = reply.status == 200 and bool(answer)  # silence is a failure too
            except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
                ok = False
            run.latencies.append(time.perf_counter() - sent)
            run.messages += 1
            run.errors += not ok


async def drive(
    level: int, scripts: list[list[str]] = CONVERSATIONS, per_user: int | None = None
) -> LevelRun:
    run = LevelRun()
    timeout = aiohttp.ClientTimeout(total=120)
    connector = aiohttp.TCPConnector(limit=level)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        started = time.perf_counter()
        per_user = per_user or CONVERSATIONS_PER_USER.get(level, 2)
        await asyncio.gather(
            *(customer(session, user, per_user, run, scripts) for user in range(level))
        )
        run.seconds = time.perf_counter() - started
    return run


def percentile_ms(latencies: list[float], q: float) -> float:
    return float(np.percentile(np.array(latencies), q)) * 1000 if latencies else float("nan")

"""Benchmark: our assistant against stock Rasa (`rasa init`'s configuration) trained on the
same data and served the same way (`scripts/run.sh`, REST, the same action server).

Each round boots one variant, times the first answer, drives realistic Italian upgrade
conversations at each concurrency level, reads every process's resident memory, and stops
it; rounds alternate the variants, since figures of the same server differ by 20% from one
run to the next on a small machine. Prints a table; `make bench` runs it.

    python -m bench.bench [--rounds 2] [--levels 1,10,50] [--variants ours,stock]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import aio_pika
import aiohttp

from bench.load import ACTIONS_HEALTH, LevelRun, drive, first_answer, percentile_ms, ready
from bench.long_conversation import LONG_SCRIPT, TURNS, WINDOW, action_call_bytes, converse
from ops.consume_events import DEFAULT_QUEUE, DEFAULT_URL

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Variant:
    name: str
    model: Path
    config: Path
    label: str


VARIANTS = {
    "ours": Variant(
        "ours", ROOT / "models" / "upgrade-helpdesk.tar.gz", ROOT / "config.yml", "ours"
    ),
    "stock": Variant(
        "stock",
        ROOT / "models" / "stock-rasa-init.tar.gz",
        ROOT / "bench" / "stock-config.yml",
        "stock rasa init",
    ),
}
TRAINING_RECORD = ROOT / "var" / "bench" / "training.json"


def measure_training(variant: Variant) -> float:
    """Seconds of a full training: empty cache, throw-away output (the real model stays)."""
    with tempfile.TemporaryDirectory() as scratch:
        started = time.monotonic()
        subprocess.run(
            [str(Path(sys.executable).with_name("rasa")), "train", "--config", str(variant.config),
             "--out", scratch, "--fixed-model-name", "bench"],
            cwd=ROOT,
            env={**os.environ, "RASA_CACHE_DIRECTORY": str(Path(scratch) / "cache")},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=True,
        )
        return time.monotonic() - started


def training_seconds(variants: Sequence[Variant], measure: bool) -> dict[str, float]:
    recorded = json.loads(TRAINING_RECORD.read_text()) if TRAINING_RECORD.exists() else {}
    if measure:
        for variant in variants:
            print(f"training {variant.label} from scratch…", flush=True)
            recorded[variant.name] = measure_training(variant)
        TRAINING_RECORD.parent.mkdir(parents=True, exist_ok=True)
        TRAINING_RECORD.write_text(json.dumps(recorded))
    return {variant.name: recorded.get(variant.name, float("nan")) for variant in variants}


@dataclass
class RoundResult:
    boot_seconds: float
    levels: dict[int, LevelRun]
    memory_mb: dict[str, float]


# --- the assistant's processes ------------------------------------------------------------


def launch(script: str, settings: dict[str, str]) -> subprocess.Popen[bytes]:
    environment = {
        **os.environ,
        "HELPDESK_URL": "",  # no delivery worker: the same processes in every run
        "TELEGRAM_TOKEN": "",
        **settings,
    }
    return subprocess.Popen(
        [script],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def group_memory_mb(group: int) -> dict[str, float]:
    """Resident memory of each process of the group, by role (from /proc: Linux only)."""
    roles = {
        "actions.action_server": "action server",
        "rasa_server run": "rasa server",
        "serve_web": "web page server",
        "consume_events": "event consumer",
        "privacy_commands purge": "purge worker",
        "haproxy": "balancer",
    }
    memory: dict[str, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if os.getpgid(int(entry.name)) != group:
                continue
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            rss_kb = next(
                int(line.split()[1])
                for line in (entry / "status").read_text().splitlines()
                if line.startswith("VmRSS:")
            )
        except (OSError, StopIteration):
            continue
        role = next((name for key, name in roles.items() if key in command), None)
        if role:  # several servers of a role: the largest (each must fit the budget)
            memory[role] = max(memory.get(role, 0.0), rss_kb / 1024)
    return memory


def stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


async def measured_round(process: subprocess.Popen[bytes], levels: Sequence[int]) -> RoundResult:
    """Time the first answer of a starting assistant, load it, read its memory, stop it."""
    started = time.monotonic()
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:
            boot = await first_answer(session, started)
            await ready(session, ACTIONS_HEALTH, started)  # run.sh's readiness, too
        results = {level: await drive(level) for level in levels}
        memory = group_memory_mb(process.pid)
    finally:
        stop(process)
    return RoundResult(boot, results, memory)


async def stream_drained(timeout_s: float = 300) -> None:
    """Wait until the event consumer has stored what the Rasa servers streamed (the cluster):
    each run then starts as the one before did, without the other's backlog to work off."""
    connection = await aio_pika.connect(os.environ.get("RABBITMQ_URL") or DEFAULT_URL)
    async with connection:
        channel = await connection.channel()
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            queue = await channel.declare_queue(
                os.environ.get("RABBITMQ_QUEUE") or DEFAULT_QUEUE, passive=True
            )
            if not queue.declaration_result.message_count:
                return
            await asyncio.sleep(1)
    raise RuntimeError(f"the event stream did not drain within {timeout_s:.0f} s")


def long_round(process: subprocess.Popen[bytes], database: Path | None) -> dict[str, float]:
    """One customer, one conversation of 300 turns (bench/long_conversation.py); then 50
    customers at once with 20-turn conversations beside 50 with the usual ones. In the
    cluster (no SQLite database) each run of 50 starts with the event stream drained."""
    started = time.monotonic()
    try:
        async def boot() -> None:
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:
                await first_answer(session, started)
                await ready(session, ACTIONS_HEALTH, started)

        asyncio.run(boot())
        sender, run = converse()
        usual, long = (asyncio.run(drained_drive(scripts, database is None))
                       for scripts in (None, [LONG_SCRIPT]))
    finally:
        stop(process)
    if database is not None:  # SQLite: the calls as Rasa makes them, rebuilt from the store
        for turns in (WINDOW, TURNS):
            run.request_bytes[str(turns)] = action_call_bytes(database, sender, turns)
    return {
        **run.figures(),
        "50 at once, usual conversations: msg/s": usual.per_second,
        "50 at once, usual conversations: errors": usual.errors,
        "50 at once, 20-turn conversations: msg/s": long.per_second,
        "50 at once, 20-turn conversations: errors": long.errors,
        "50 at once, 20-turn / usual": long.per_second / usual.per_second,
    }


async def drained_drive(scripts: list[list[str]] | None, stream: bool) -> LevelRun:
    if stream:
        await stream_drained()
    return await (drive(50) if scripts is None else drive(50, scripts, per_user=1))


def variant_database(variant: Variant) -> Path:
    return ROOT / "var" / "bench" / f"{variant.name}.db"


def start_variant(variant: Variant) -> subprocess.Popen[bytes]:
    database = variant_database(variant)
    database.parent.mkdir(parents=True, exist_ok=True)
    database.unlink(missing_ok=True)
    settings = {"MODEL": str(variant.model), "DATABASE_URL": f"sqlite:///{database}"}
    return launch("scripts/run.sh", settings)


def start_cluster(replicas: int) -> subprocess.Popen[bytes]:
    database = os.environ.get(
        "BENCH_CLUSTER_DATABASE", "postgresql://postgres@127.0.0.1:5432/helpdesk_bench"
    )
    return launch("scripts/cluster.sh", {"N": str(replicas), "DATABASE_URL": database})


# --- the report -------------------------------------------------------------------------


def summarise(rounds: list[RoundResult], levels: Sequence[int]) -> dict[str, float]:
    figures: dict[str, float] = {"boot to first answer (s)": statistics.median(
        r.boot_seconds for r in rounds
    )}
    for level in levels:
        runs = [r.levels[level] for r in rounds]
        latencies = [value for run in runs for value in run.latencies]
        name = f"{level} at once"
        figures[f"{name}: msg/s"] = statistics.median(run.per_second for run in runs)
        for q in (50, 95, 99):
            figures[f"{name}: p{q} (ms)"] = percentile_ms(latencies, q)
        figures[f"{name}: errors"] = sum(run.errors for run in runs)
    roles = sorted({role for r in rounds for role in r.memory_mb})
    for role in roles:
        figures[f"memory, {role} (MB)"] = max(r.memory_mb.get(role, 0.0) for r in rounds)
    return figures


def print_table(table: dict[str, dict[str, float]], ratio: str) -> None:
    """Columns are the table's keys (labels); with two, the ratio of the first to the second."""
    names = list(table)
    rows = list(dict.fromkeys(key for figures in table.values() for key in figures))
    header = f"{'':34}" + "".join(f"{name:>17}" for name in names)
    compare = len(names) == 2
    print(header + (f"{ratio:>15}" if compare else ""))
    for row in rows:
        line = f"{row:34}"
        values = [table[name].get(row, float("nan")) for name in names]
        for value in values:
            line += f"{value:17.0f}" if "errors" in row else f"{value:17.1f}"
        if compare and values[1] not in (0, 0.0) and values[1] == values[1]:
            line += f"{values[0] / values[1]:15.2f}"
        print(line)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--levels", default="1,10,50")
    parser.add_argument("--variants", default="ours,stock")
    parser.add_argument(
        "--skip-training", action="store_true", help="print the last measured training times"
    )
    parser.add_argument(
        "--long", action="store_true",
        help="also one customer, 300 turns in one conversation (first and last 30 turns)",
    )
    parser.add_argument(
        "--long-rounds", type=int, default=1,
        help="how many times the long section runs (the median of each figure is shown)",
    )
    parser.add_argument(
        "--cluster", action="store_true",
        help="also `make cluster` with 1 and 2 Rasa servers (PostgreSQL, Redis, RabbitMQ)",
    )
    args = parser.parse_args(argv)
    levels = [int(level) for level in args.levels.split(",")]
    variants = [VARIANTS[name] for name in args.variants.split(",")]
    for variant in variants:
        if not variant.model.exists():
            raise SystemExit(f"no model at {variant.model}: `make bench` trains it first")

    trained = training_seconds(variants, measure=not args.skip_training)
    rounds: dict[str, list[RoundResult]] = {variant.name: [] for variant in variants}
    for number in range(args.rounds):
        for variant in variants:  # alternate: drift of the machine hits both alike
            print(f"round {number + 1}/{args.rounds}: {variant.label}…", flush=True)
            rounds[variant.name].append(
                asyncio.run(measured_round(start_variant(variant), levels))
            )

    table = {
        variant.label: {
            "training (s)": trained[variant.name],
            **(summarise(rounds[variant.name], levels) if args.rounds else {}),
        }
        for variant in variants
    }
    if args.long:
        for variant in variants:
            print(f"{TURNS} turns in one conversation: {variant.label}…", flush=True)
            table[variant.label].update(median_of(
                long_round(start_variant(variant), variant_database(variant))
                for _ in range(args.long_rounds)
            ))
    print(f"\n{os.cpu_count()} CPUs · {args.rounds} rounds · REST with the action server\n")
    print_table(table, ratio="ours / stock")
    if args.cluster:
        print_cluster(args.rounds, args.long_rounds if args.long else 0)


def median_of(runs: Iterable[dict[str, float]]) -> dict[str, float]:
    """Each figure's median over the runs (the long section, run several times)."""
    done = list(runs)
    return {key: statistics.median(run[key] for run in done) for key in done[0]}


def print_cluster(rounds: int, long_rounds: int) -> None:
    results: dict[int, list[RoundResult]] = {2: [], 1: []}
    for number in range(rounds):
        for replicas in results:
            print(f"cluster round {number + 1}/{rounds}: {replicas} Rasa server(s)…", flush=True)
            results[replicas].append(asyncio.run(measured_round(start_cluster(replicas), [50])))
    table = {f"N={n}": summarise(found, [50]) if found else {} for n, found in results.items()}
    for replicas in results if long_rounds else []:
        print(f"cluster, {TURNS} turns in one conversation: N={replicas}…", flush=True)
        table[f"N={replicas}"].update(median_of(
            long_round(start_cluster(replicas), None) for _ in range(long_rounds)
        ))
    print("\nmake cluster (HAProxy, PostgreSQL, Redis, RabbitMQ), 50 conversations at once;")
    print("memory is per process (the largest of its role)\n")
    print_table(table, ratio="N=2 / N=1")


if __name__ == "__main__":
    main()

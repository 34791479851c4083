"""Before `make cluster` starts: PostgreSQL, Redis and RabbitMQ answer at DATABASE_URL,
REDIS_URL and RABBITMQ_URL, and the database exists (created when missing). Says which is
missing and exits 1 otherwise."""

from __future__ import annotations

import os
import socket
import sys
from urllib.parse import urlsplit

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError


def reachable(url: str, default_port: int) -> bool:
    parts = urlsplit(url)
    address = (parts.hostname or "127.0.0.1", parts.port or default_port)
    try:
        with socket.create_connection(address, 3):
            return True
    except OSError:
        return False


def ensure_database(url: str) -> None:
    """Create the database of `url` on its server when it does not exist yet."""
    target = make_url(url)
    probe = create_engine(target, connect_args={"connect_timeout": 3})
    try:
        probe.connect().close()
        return
    except OperationalError as error:
        if "does not exist" not in str(error):
            raise
    finally:
        probe.dispose()
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()
    print(f"created database {target.database}")


def main() -> int:
    services = {
        "PostgreSQL (DATABASE_URL)": (os.environ["DATABASE_URL"], 5432),
        "Redis (REDIS_URL)": (os.environ["REDIS_URL"], 6379),
        "RabbitMQ (RABBITMQ_URL)": (os.environ["RABBITMQ_URL"], 5672),
    }
    missing = [name for name, (url, port) in services.items() if not reachable(url, port)]
    if missing:
        print("make cluster needs " + ", ".join(missing) + ": not reachable.", file=sys.stderr)
        return 1
    if not os.environ["DATABASE_URL"].startswith("postgresql"):
        print("make cluster shares its tracker store between servers: use PostgreSQL.",
              file=sys.stderr)
        return 1
    ensure_database(os.environ["DATABASE_URL"])
    return 0


if __name__ == "__main__":
    sys.exit(main())

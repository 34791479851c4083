"""Add an agent of the live-handoff console: `make agent-add NAME=Giulia EMAIL=giulia@…`.

The password is asked twice at the terminal (never on the command line, where the shell's
history and `ps` would keep it); from a pipe, one line is read. Only its argon2id hash is
stored (actions/records/agents.py)."""

from __future__ import annotations

import argparse
import getpass
import sys

from actions.records.agents import MIN_PASSWORD_CHARS, add_agent
from actions.records.db import make_sessions
from actions.records.live_handoff import utc_now


def read_password() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass(f"Password (at least {MIN_PASSWORD_CHARS} characters): ")
    if getpass.getpass("Again: ") != first:
        raise SystemExit("The two passwords differ: nothing added.")
    return first


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--name", required=True, help="the name customers see")
    parser.add_argument("--email", required=True, help="the address the agent signs in with")
    args = parser.parse_args()
    password = read_password()
    sessions = make_sessions()
    try:
        with sessions() as session:
            agent = add_agent(
                session, name=args.name, email=args.email, password=password, now=utc_now()
            )
            session.commit()
    except ValueError as error:
        print(f"Not added: {error}.", file=sys.stderr)
        return 2
    print(f"Agent {agent.name} <{agent.email}> added: sign in at /agent/ on the assistant.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

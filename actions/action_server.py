"""The action server: Rasa SDK's own app with this package's actions, reachable only by the
Rasa servers. It listens on `ACTIONS_HOST` (loopback unless set) and, when `ACTIONS_TOKEN`
is set, answers `/webhook` only to a caller that sends it (endpoints.yml makes Rasa send
it); on any address but loopback it refuses to start without one: otherwise anyone on the
network could post a made-up tracker and have it store or send support requests.

    python -m actions.action_server [--port 5055]
"""

from __future__ import annotations

import argparse
import hmac
import ipaddress
import logging
import os
import sys

from rasa_sdk import utils
from rasa_sdk.endpoint import create_app
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from actions import language_context

TOKEN_HEADER = "X-Actions-Token"
OPEN_PATHS = {"/health"}  # what a load balancer or a readiness probe asks without a token


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def build_app(token: str | None) -> Sanic:
    language_context.install()  # each action speaks its conversation's language
    app: Sanic = create_app("actions", cors_origins=None)  # no browser has business here

    @app.middleware("request")  # type: ignore[untyped-decorator, no-untyped-call]
    async def require_token(request: Request) -> HTTPResponse | None:
        if not token or request.path in OPEN_PATHS:
            return None
        given = request.headers.get(TOKEN_HEADER, "")
        if hmac.compare_digest(given.encode(), token.encode()):
            return None
        return response.json({"error": f"missing or wrong {TOKEN_HEADER}"}, status=401)

    return app


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=5055)
    args = parser.parse_args()
    host = os.environ.get("ACTIONS_HOST", "127.0.0.1")
    token = os.environ.get("ACTIONS_TOKEN") or None
    if token is None and not is_loopback(host):
        print(
            f"ACTIONS_HOST={host} is reachable from the network: set ACTIONS_TOKEN (the same "
            "value for the Rasa servers) or listen on 127.0.0.1.",
            file=sys.stderr,
        )
        return 2
    utils.configure_colored_logging(logging.INFO)
    utils.update_sanic_log_level()
    app = build_app(token)
    app.run(host, args.port, workers=1, access_log=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())

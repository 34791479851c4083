"""A real HTTP server on loopback standing in for the helpdesk: it stores what it takes,
honours the Idempotency-Key, and can be told to fail, hang or answer 5xx."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FakeHelpdesk:
    def __init__(self) -> None:
        self.mode = (
            "ok"  # ok | error (503) | slow (answers after the client gave up) | store_then_error
        )
        self.tickets: dict[str, dict[str, Any]] = {}
        self.calls = 0
        self.tokens: list[str | None] = []
        helpdesk = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                helpdesk.calls += 1
                helpdesk.tokens.append(self.headers.get("Authorization"))
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                key = self.headers.get("Idempotency-Key", "")
                if helpdesk.mode == "slow":
                    time.sleep(1.5)
                if helpdesk.mode == "error":
                    return self._answer(503, {"error": "maintenance"})
                if key in helpdesk.tickets:
                    return self._answer(409, {"error": "duplicate"})
                helpdesk.tickets[key] = body
                if helpdesk.mode == "store_then_error":
                    # It took the ticket but the answer got lost: the client must retry safely.
                    return self._answer(502, {"error": "bad gateway"})
                return self._answer(201, {"id": len(helpdesk.tickets)})

            def _answer(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/tickets"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeHelpdesk:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()

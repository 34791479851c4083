"""Serve the support page and the chat widget (`web/`) on localhost, as the support site
would. Standard library only; `make run` starts it.

    python -m ops.serve_web [--host 127.0.0.1] [--port 8080]
"""

from __future__ import annotations

import argparse
import functools
import os
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

WEB_ROOT = Path(__file__).resolve().parents[1] / "web"


class PageHandler(SimpleHTTPRequestHandler):
    def guess_type(self, path: str | os.PathLike[str]) -> str:
        # Explicit charset: the page is Italian and shows "€".
        kind = super().guess_type(path)
        text = kind.startswith("text/") or kind.endswith("javascript")
        return f"{kind}; charset=utf-8" if text else kind

    def end_headers(self) -> None:
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default=os.environ.get("WEB_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("WEB_PORT", "8080")))
    args = parser.parse_args()
    handler = functools.partial(PageHandler, directory=str(WEB_ROOT))
    with ThreadingHTTPServer((args.host, args.port), handler) as server:
        print(f"support page on http://{args.host}:{args.port}/", flush=True)
        server.serve_forever()


if __name__ == "__main__":
    main()

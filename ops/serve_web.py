"""Serve the support page and the chat widget (`web/`) on localhost, as the support site
would. Standard library only; `make run` starts it.

The page names the contacts, and the widget gets its texts and where the assistant answers,
from the same sources as the assistant: the contacts and texts of domain.yml
(actions/texts.py), the assistant's address from the settings of `make run` (its port, or
`ASSISTANT_URL` behind a proxy).

    python -m ops.serve_web [--host 127.0.0.1] [--port 8080] [--assistant-port 5005]
"""

from __future__ import annotations

import argparse
import functools
import json
import os
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from string import Template
from typing import Any

from actions.domain.contacts import CONTACTS
from actions.texts import responses, text, variant

WEB_ROOT = Path(__file__).resolve().parents[1] / "web"
PAGE = WEB_ROOT / "index.html"
WIDGET_TEXTS = "part_widget_"
EMPHASIS = ("part_quote_total", "part_quote_free_until_expiry")


def widget_settings(assistant_port: int, assistant_url: str | None) -> dict[str, Any]:
    """What the widget needs: where the assistant answers and every text it shows."""
    return {
        "server": assistant_url,
        "port": assistant_port,
        "texts": {
            name.removeprefix(WIDGET_TEXTS): text(name)
            for name in responses() if name.startswith(WIDGET_TEXTS)
        },
        # How the lines of a quote's total begin: the widget makes them stand out.
        "emphasis": [opening(name) for name in EMPHASIS],
    }


def opening(name: str) -> str:
    """A text's words before its first figure."""
    template = str(variant(name)["text"])
    return template[: template.index("{")] if "{" in template else template


def render_page(settings: dict[str, Any]) -> str:
    """The support page with the contacts and the widget's settings in it."""
    # "</" never closes the script element the settings are in.
    data = json.dumps(settings, ensure_ascii=False).replace("</", "<\\/")
    return Template(PAGE.read_text(encoding="utf-8")).substitute(
        **CONTACTS, sales_line_dial=CONTACTS["sales_line"].replace(" ", ""), widget_settings=data
    )


class PageHandler(SimpleHTTPRequestHandler):
    def __init__(self, *args: Any, settings: dict[str, Any], **kwargs: Any) -> None:
        self.settings = settings  # before the base class handles the request
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        if self.path.split("?", 1)[0] in ("/", "/index.html"):
            body = render_page(self.settings).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

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
    parser.add_argument(
        "--assistant-port", type=int, default=int(os.environ.get("RASA_PORT", "5005")),
        help="the port of the assistant's Rasa server (or its balancer), on the page's host",
    )
    args = parser.parse_args()
    settings = widget_settings(args.assistant_port, os.environ.get("ASSISTANT_URL") or None)
    handler = functools.partial(PageHandler, settings=settings, directory=str(WEB_ROOT))
    with ThreadingHTTPServer((args.host, args.port), handler) as server:
        print(f"support page on http://{args.host}:{args.port}/", flush=True)
        server.serve_forever()


if __name__ == "__main__":
    main()

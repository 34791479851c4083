"""Serve the support page and the chat widget (`web/`) on localhost, as the support site
would. Standard library only; `make run` starts it.

The page names the contacts, and the widget gets its texts and where the assistant answers,
from the same sources as the assistant: the contacts and texts of domain.yml
(actions/texts.py), in every language the assistant speaks (the `language: en` variants),
and the assistant's address from the settings of `make run` (its port, or `ASSISTANT_URL`
behind a proxy). The widget starts in the page's language (`<html lang>`: `--language`,
or `/?lang=en` for one page; the guide's text stays Italian and says so) and switches
language when the customer asks.

    python -m ops.serve_web [--host 127.0.0.1] [--port 8080] [--assistant-port 5005]
                            [--language it]
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
from urllib.parse import parse_qs, urlsplit

from babel import Locale

from actions.domain.contacts import CONTACTS
from actions.domain.language import Language
from actions.texts import responses, text, variant

WEB_ROOT = Path(__file__).resolve().parents[1] / "web"
PAGE = WEB_ROOT / "index.html"
WIDGET_TEXTS = "part_widget_"
EMPHASIS = ("part_quote_total", "part_quote_free_until_expiry")
# The languages of the assistant (the values of its slot `language`, the first its own), each
# named in itself: the widget's switch offers the other one by this name, the same whatever
# language the widget is in (a name, not a text to translate).
LANGUAGES = {
    language.value: str(Locale(language.value).get_display_name()).capitalize()
    for language in Language
}  # {"it": "Italiano", "en": "English"}


def widget_settings(
    assistant_port: int, assistant_url: str | None, language: str = "it"
) -> dict[str, Any]:
    """What the widget needs: where the assistant answers, the page's language (the one the
    widget starts in), and every text it shows in each language."""
    if language not in LANGUAGES:
        raise ValueError(f"the page's language must be one of {sorted(LANGUAGES)}")
    return {
        "server": assistant_url,
        "port": assistant_port,
        "language": language,
        "languages": LANGUAGES,
        "texts": {lang: widget_texts(lang) for lang in LANGUAGES},
        # How the lines of a quote's total begin, in each language: they stand out.
        "emphasis": sorted({opening(name, lang) for name in EMPHASIS for lang in LANGUAGES}),
    }


def widget_texts(language: str) -> dict[str, str]:
    """The widget's texts (`part_widget_…`) as Rasa says them to a conversation in `language`."""
    slots = {"language": language}
    return {
        name.removeprefix(WIDGET_TEXTS): text(name, slots)
        for name in responses() if name.startswith(WIDGET_TEXTS)
    }


def opening(name: str, language: str = "it") -> str:
    """A text's words before its first figure."""
    template = str(variant(name, {"language": language})["text"])
    return template[: template.index("{")] if "{" in template else template


def render_page(settings: dict[str, Any]) -> str:
    """The support page with the contacts and the widget's settings in it."""
    # "</" never closes the script element the settings are in.
    data = json.dumps(settings, ensure_ascii=False).replace("</", "<\\/")
    return Template(PAGE.read_text(encoding="utf-8")).substitute(
        **CONTACTS,
        sales_line_dial=CONTACTS["sales_line"].replace(" ", ""),
        page_language=settings.get("language", "it"),
        widget_settings=data,
    )


def page_settings(settings: dict[str, Any], query: str) -> dict[str, Any]:
    """The settings for a page asked in a language (`/?lang=en`: a link from an English
    page); another value, or none, leaves the server's."""
    asked = parse_qs(query).get("lang", [""])[-1].lower()
    return {**settings, "language": asked} if asked in LANGUAGES else settings


def console_url(settings: dict[str, Any], host: str | None) -> str:
    """The agents' console: served by the assistant's Rasa server (channels/agent_console.py),
    at ASSISTANT_URL behind a proxy, else on its port of the page's host."""
    if settings.get("server"):
        return str(settings["server"]).rstrip("/") + "/agent/"
    name = urlsplit(f"//{host or 'localhost'}").hostname or "localhost"
    name = f"[{name}]" if ":" in name else name  # IPv6
    return f"http://{name}:{settings['port']}/agent/"


class PageHandler(SimpleHTTPRequestHandler):
    def __init__(self, *args: Any, settings: dict[str, Any], **kwargs: Any) -> None:
        self.settings = settings  # before the base class handles the request
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        path, _, query = self.path.partition("?")
        if path == "/agent" or path.startswith("/agent/"):  # the console is the assistant's
            self.send_response(302)
            self.send_header("Location", console_url(self.settings, self.headers.get("Host")))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if path in ("/", "/index.html"):
            body = render_page(page_settings(self.settings, query)).encode()
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
    parser.add_argument(
        "--language", choices=sorted(LANGUAGES), default=os.environ.get("WEB_LANGUAGE", "it"),
        help="the page's language (<html lang>), the one the widget starts in",
    )
    args = parser.parse_args()
    settings = widget_settings(
        args.assistant_port, os.environ.get("ASSISTANT_URL") or None, args.language
    )
    handler = functools.partial(PageHandler, settings=settings, directory=str(WEB_ROOT))
    with ThreadingHTTPServer((args.host, args.port), handler) as server:
        print(f"support page on http://{args.host}:{args.port}/", flush=True)
        server.serve_forever()


if __name__ == "__main__":
    main()

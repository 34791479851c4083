"""The widget's files, read without a browser."""

from __future__ import annotations

import re
from pathlib import Path

WEB = Path(__file__).resolve().parents[2] / "web"


def test_the_socket_io_client_speaks_engine_io_4() -> None:
    # python-socketio 5.9 (pinned for Rasa 3.6) speaks Engine.IO 4: socket.io-client 3 or 4.
    header = (WEB / "vendor" / "socket.io.min.js").read_text(encoding="utf-8")[:200]
    assert re.search(r"Socket\.IO v4\.\d+\.\d+", header)


def test_the_page_loads_only_local_files() -> None:
    page = (WEB / "index.html").read_text(encoding="utf-8")
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assets = [source for source in sources if not source.startswith(("tel:", "mailto:"))]
    assert assets and all("//" not in source for source in assets)
    assert all((WEB / source).is_file() for source in assets)


def test_the_widget_writes_texts_as_text_never_as_html() -> None:
    widget = (WEB / "widget" / "chat.js").read_text(encoding="utf-8")
    assert "innerHTML" not in widget and "insertAdjacentHTML" not in widget

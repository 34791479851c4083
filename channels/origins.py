"""Which web origins may talk to the assistant from a browser. Plain Python, no Rasa."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

ENV_VAR = "CHAT_ORIGINS"


class OriginError(ValueError):
    """A configured origin that would open the assistant to any web site."""


def parse_origins(value: str) -> list[str]:
    """`CHAT_ORIGINS` as a list: origins separated by commas or spaces, `*` refused.

    A browser sends its origin as scheme://host[:port], without a path or a trailing slash,
    and the server compares strings: normalise so that "https://x.it/" still matches.
    """
    origins: list[str] = []
    for item in re.split(r"[\s,]+", value.strip()):
        if not item:
            continue
        if "*" in item:
            raise OriginError(
                f"{ENV_VAR} may not contain '*': list the sites that embed the widget, "
                "for example https://assistenza.example.it"
            )
        parts = urlsplit(item)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise OriginError(f"{ENV_VAR}: {item!r} is not an origin like https://host[:port]")
        origin = f"{parts.scheme}://{parts.netloc}".lower()
        if origin not in origins:
            origins.append(origin)
    return origins

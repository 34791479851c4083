"""Fitting the assistant's answers into Telegram messages. Plain Python, no Rasa.

Rasa's stock connector sends every paragraph as a message of its own, so a quote arrives
as a burst of fragments; here an answer stays one message, split only past Telegram's
limit, at a paragraph, else a line, else a word boundary.
"""

from __future__ import annotations

# Telegram's limit on a message's text, counted in UTF-16 code units.
MESSAGE_LIMIT = 4096
# Telegram refuses a button whose callback data is longer than this, in bytes.
CALLBACK_DATA_LIMIT = 64


def telegram_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def split_message(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    text = text.strip()
    if not text:
        return []
    chunks: list[str] = []
    current = ""
    for piece in _pieces(text, limit):
        joined = f"{current}{piece}" if current else piece.lstrip("\n ")
        if telegram_length(joined.rstrip()) <= limit:
            current = joined
        else:
            if current.strip():
                chunks.append(current.rstrip())
            current = piece.lstrip("\n ")
    if current.strip():
        chunks.append(current.rstrip())
    return chunks


def _pieces(text: str, limit: int) -> list[str]:
    """The text cut before each paragraph; a paragraph too long is cut at lines, a line too
    long at words, and a word too long where it must be. Each piece carries the separator
    that preceded it, dropped when the piece starts a message."""
    pieces: list[str] = []
    for index, paragraph in enumerate(text.split("\n\n")):
        separator = "\n\n" if index else ""
        if telegram_length(paragraph) <= limit:
            pieces.append(separator + paragraph)
            continue
        for line_index, line in enumerate(paragraph.split("\n")):
            line_separator = separator if line_index == 0 else "\n"
            if telegram_length(line) <= limit:
                pieces.append(line_separator + line)
                continue
            for word_index, word in enumerate(line.split(" ")):
                first, *rest = _hard_cut(word, limit)
                pieces.append((line_separator if word_index == 0 else " ") + first)
                pieces.extend(rest)
    return pieces


def _hard_cut(word: str, limit: int) -> list[str]:
    """A 'word' longer than a message (a pasted log line) is cut where it must be."""
    parts: list[str] = []
    while telegram_length(word) > limit:
        cut = limit
        while telegram_length(word[:cut]) > limit:
            cut -= 1
        parts.append(word[:cut])
        word = word[cut:]
    parts.append(word)
    return parts


def fits_callback_data(payload: str) -> bool:
    return len(payload.encode("utf-8")) <= CALLBACK_DATA_LIMIT

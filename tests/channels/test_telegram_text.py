from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from channels.telegram_text import (
    MESSAGE_LIMIT,
    fits_callback_data,
    split_message,
    telegram_length,
)


def test_a_normal_answer_stays_one_message() -> None:
    quote = "Ecco il preventivo:\n• RAM +16 GB: 10,00 €/mese\n\nTotale upgrade: 12,20 €."
    assert split_message(quote) == [quote]


def test_a_long_answer_is_cut_between_paragraphs() -> None:
    paragraphs = [f"Paragrafo {n}: " + "parola " * 200 for n in range(10)]
    chunks = split_message("\n\n".join(p.strip() for p in paragraphs))
    assert len(chunks) > 1
    assert all(telegram_length(chunk) <= MESSAGE_LIMIT for chunk in chunks)
    assert all(chunk.startswith("Paragrafo") for chunk in chunks)


def test_emoji_count_twice_as_telegram_counts_them() -> None:
    text = "😀" * 3000  # 6000 UTF-16 units
    chunks = split_message(text)
    assert [telegram_length(chunk) for chunk in chunks] == [4096, 6000 - 4096]


def test_nothing_to_say_is_no_message() -> None:
    assert split_message("  \n\n ") == []


@given(st.text(alphabet=st.sampled_from("ab €😀\n"), max_size=400), st.integers(5, 60))
def test_chunks_fit_and_keep_every_character(text: str, limit: int) -> None:
    chunks = split_message(text, limit)
    assert all(0 < telegram_length(chunk) <= limit for chunk in chunks)
    assert "".join("".join(chunks).split()) == "".join(text.split())


def test_callback_data_limit_is_in_bytes() -> None:
    assert fits_callback_data('/inform{"addon":"ram-16"}')
    assert not fits_callback_data("/" + "è" * 32)

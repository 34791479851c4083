"""What a message gives to a support request, read without Rasa."""

from __future__ import annotations

from actions.domain.support_request import read_request_message


def test_a_name_with_the_email_is_not_a_description() -> None:
    reading = read_request_message("mi chiamo giorgio testa, mail giorgio.t@example.it")
    assert reading.email == "giorgio.t@example.it"
    assert reading.description is None


def test_a_problem_told_after_the_name_is_the_description() -> None:
    reading = read_request_message(
        "mi chiamo Anna Riva, il pannello mi dà errore quando clicco upgrade"
    )
    assert reading.description is not None and "pannello" in reading.description


def test_a_yes_with_words_is_a_yes_and_describes_nothing() -> None:
    reading = read_request_message("ho detto si, apri la richiesta")
    assert reading.yes and not reading.no and reading.description is None


def test_a_no_with_an_email_is_not_a_refusal() -> None:
    reading = read_request_message("no aspetta, scrivi a luca@example.it")
    assert reading.email == "luca@example.it" and not reading.no


def test_an_email_corrected_in_words_describes_nothing() -> None:
    reading = read_request_message("Scusi, ho sbagliato a scrivere: è giulia.bianchi@example.it")
    assert reading.email == "giulia.bianchi@example.it" and reading.description is None

from __future__ import annotations

from stores.event_broker import split_amqp_url


def test_one_url_gives_host_credentials_and_port() -> None:
    assert split_amqp_url("amqp://rasa:s%40cret@mq.example.it:5673/helpdesk") == (
        "amqp://mq.example.it/helpdesk", "rasa", "s@cret", 5673
    )
    assert split_amqp_url("amqp://127.0.0.1/") == ("amqp://127.0.0.1", "guest", "guest", 5672)

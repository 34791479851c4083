from __future__ import annotations

import pytest

from channels.origins import OriginError, parse_origins


def test_origins_are_split_on_commas_and_spaces_and_normalised() -> None:
    value = " https://Assistenza.Example.it/, http://localhost:8080  http://localhost:8080 "
    assert parse_origins(value) == ["https://assistenza.example.it", "http://localhost:8080"]


def test_no_origins_means_none_listed() -> None:
    assert parse_origins("") == []
    assert parse_origins(" , ") == []


@pytest.mark.parametrize("value", ["*", "https://*.example.it", "http://a.it *"])
def test_a_wildcard_is_refused(value: str) -> None:
    with pytest.raises(OriginError, match="may not contain"):
        parse_origins(value)


@pytest.mark.parametrize("value", ["example.it", "ftp://example.it", "https://"])
def test_what_is_not_an_origin_is_refused(value: str) -> None:
    with pytest.raises(OriginError, match="is not an origin"):
        parse_origins(value)


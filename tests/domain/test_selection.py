from __future__ import annotations

import pytest

from actions.domain.selection import is_correction


@pytest.mark.parametrize(
    ("text", "expected"),
    [("anzi, 64 GB", True), ("no scusa, 32", True), ("e anche un ip", False), ("nonno", False)],
)
def test_corrections_are_recognised(text: str, expected: bool) -> None:
    assert is_correction(text) is expected

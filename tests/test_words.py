"""How the bot writes numbers and names a field: bokmål that reads right."""

from __future__ import annotations

import pytest

from voice.words import share


@pytest.mark.parametrize(("n", "total", "shown"), [
    (0, 357, "0 av 357 (0 %)"),
    (1, 357, "1 av 357 (under 1 %)"),
    (2, 357, "2 av 357 (1 %)"),
    (12, 25, "12 av 25 (48 %)"),
    (1, 8, "1 av 8 (13 %)"),
    (355, 357, "355 av 357 (99 %)"),
    (356, 357, "356 av 357 (over 99 %)"),
    (357, 357, "357 av 357 (100 %)"),
    (0, 0, "0 av 0"),
])
def test_a_share_that_is_not_nothing_never_reads_as_nothing_nor_some_as_all(
        n: int, total: int, shown: str) -> None:
    assert share(n, total) == shown

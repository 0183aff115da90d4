"""Audit text is made storable on both databases (the pure part of issue 12, item 3)."""

from __future__ import annotations

import pytest

from storage.screening_audit import storable_text


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("a\x00b", "a\ufffdb"),
        ("tab\there", "tab\ufffdhere"),
        ("\ud800x", "\ufffdx"),
        ("Ünïcode ok", "Ünïcode ok"),
    ],
)
def test_storable_text_replaces_what_no_database_takes(raw: str, stored: str) -> None:
    assert storable_text(raw) == stored

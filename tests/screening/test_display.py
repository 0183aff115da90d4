"""What a person sees (screening/display.py): direction controls applied, nothing else moved."""

from __future__ import annotations

import pytest

from screening import MATCH, ScreeningEntry, ScreeningIndex
from screening.display import controls_shown, displayed, screening_forms

RLO, PDF, LRI, RLI, PDI = "\u202e", "\u202c", "\u2066", "\u2067", "\u2069"


@pytest.mark.parametrize(
    ("stored", "seen"),
    [
        (RLO + "noisivkiH", "Hikvision"),
        (f"ACME {RLO}NOISIVKIH{PDF} LTD", "ACME HIKVISION LTD"),
        (f"Zeta {RLI}gnidarT{PDI} Ltd", "Zeta gnidarT Ltd"),  # an isolate of Latin letters
        (f"Zeta {LRI}Trading{PDI} Ltd", "Zeta Trading Ltd"),
    ],
)
def test_the_displayed_order(stored: str, seen: str) -> None:
    assert displayed(stored) == seen


def test_text_without_controls_is_left_as_stored() -> None:
    # Arabic and Hebrew are stored in reading order: reordering them would break them.
    for text in ("شركة هواوي للتكنولوجيا", 'חברה בע"מ', "Hikvision"):
        assert screening_forms(text) == (text,)
        assert displayed(text) == text and controls_shown(text) == text


def test_forms_and_shown_text() -> None:
    assert screening_forms(RLO + "noisivkiH") == (RLO + "noisivkiH", "Hikvision")
    # A control that changes nothing visible adds no form, but is still shown.
    assert screening_forms(f"Zeta {LRI}Trading{PDI}") == (f"Zeta {LRI}Trading{PDI}",)
    assert controls_shown(f"Zeta {LRI}Trading{PDI}") == "Zeta \\u2066Trading\\u2069"
    assert controls_shown(RLO + "noisivkiH") == "\\u202enoisivkiH (displays as “Hikvision”)"


def test_the_index_screens_what_a_person_sees() -> None:
    index = ScreeningIndex.build(
        [ScreeningEntry(entry_key="EL:1", list_code="EL", name="Quillon Avionics Co., Ltd.")]
    )
    (found,) = index.search(RLO + "Quillon Avionics"[::-1], limit=3)
    assert (found.entry.name, found.band) == ("Quillon Avionics Co., Ltd.", MATCH)

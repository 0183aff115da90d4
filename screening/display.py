"""What a person sees: a name laid out by the Unicode bidirectional algorithm (UAX #9).

A name can be stored with a right-to-left override and its letters reversed: the
text is "\\u202enoisivkiH", every screen shows "Hikvision". Screening only the stored
text answered "no match" for what the reader sees as a listed name, and a watched
counterparty that displays as a listed name got no hit. `screening_forms` gives the
stored text and, when explicit direction controls make it display otherwise, the
text in the order it is displayed (controls removed), so that both are screened.
The layout is python-bidi's (a binding of the unicode-bidi crate), not ours.

Text without direction controls is returned as it is: right-to-left letters alone
(Arabic, Hebrew) are stored in reading order, which is the order to screen.
"""

from __future__ import annotations

from bidi import get_display

# The explicit directional formatting characters and the implicit marks (UAX #9, 2.1-2.6).
DIRECTION_CONTROLS = frozenset(
    "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def has_direction_controls(text: str) -> bool:
    return not DIRECTION_CONTROLS.isdisjoint(text)


def displayed(text: str) -> str:
    """`text` in the order a screen shows it, without the (invisible) direction controls.

    The paragraph direction is taken from the text (rules P2-P3), as a chat client or
    a spreadsheet cell set to "auto" does.
    """
    if not has_direction_controls(text):
        return text
    return _without_controls(get_display(text))


def screening_forms(text: str) -> tuple[str, ...]:
    """The stored text first, then what a person sees when that differs in more than the
    controls (in a left-to-right and in an automatic paragraph)."""
    if not has_direction_controls(text):
        return (text,)
    stored = _without_controls(text)
    forms = [text]
    for shown in (displayed(text), _without_controls(get_display(text, base_dir="L"))):
        if shown != stored and shown not in forms:
            forms.append(shown)
    return tuple(forms)


def controls_shown(text: str) -> str:
    """`text` with each direction control written as an escape (`\\u202e`) and, when it
    displays otherwise, what it displays as: for answers and lists a person reads."""
    if not has_direction_controls(text):
        return text
    marked = "".join(f"\\u{ord(ch):04x}" if ch in DIRECTION_CONTROLS else ch for ch in text)
    shown = displayed(text)
    if shown == _without_controls(text):
        return marked
    return f"{marked} (displays as “{shown}”)"


def _without_controls(text: str) -> str:
    return "".join(ch for ch in text if ch not in DIRECTION_CONTROLS)

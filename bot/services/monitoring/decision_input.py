"""Decision input as a person (or a forged request) sends it: hit numbers, days, reasons.

Every value is checked before it reaches the database, so that bad input gets a
sentence, never an error page: "²" is a digit to `str.isdigit` and not to `int`, a
hit number past 64 bits makes PostgreSQL raise, and NUL is text PostgreSQL refuses.
"""

from __future__ import annotations

from storage.screening_audit import storable_text

MAX_CLEAR_DAYS = 3650
DEFAULT_CLEAR_DAYS = 180
MAX_REASON_CHARS = 2000
# Ids are 64-bit integers on PostgreSQL: a larger number names no hit (and must not
# reach the database, which would refuse it with an error instead of "no such hit").
MAX_HIT_ID = 2**63 - 1


class DecisionError(ValueError):
    """A decision that cannot be recorded (unknown hit, missing reason); the message says why."""


def hit_number(text: str) -> int:
    """A hit number as typed ("12", "#12") or carried by a button or a modal."""
    digits = text.strip().removeprefix("#")
    # ASCII only: "²".isdigit() is true, and int() refuses it.
    if not digits.isascii() or not digits.isdigit():
        raise DecisionError(f"{clip(text, 40)!r} is not a hit number (a whole number, like 12)")
    if len(digits) > 19 or not 1 <= int(digits) <= MAX_HIT_ID:
        raise DecisionError(f"no counterparty hit #{clip(digits, 30)}")
    return int(digits)


def clear_days(text: str) -> int:
    """How long a clearance holds, as typed: whole days, 1 to `MAX_CLEAR_DAYS`."""
    digits = text.strip()
    whole = digits.isascii() and digits.isdigit() and len(digits) <= 5
    if not whole or not 1 <= int(digits) <= MAX_CLEAR_DAYS:
        raise DecisionError(f"the expiry must be a whole number of days from 1 to {MAX_CLEAR_DAYS}")
    return int(digits)


def clean_reason(text: str) -> str:
    """The reason as stored: spacing collapsed, characters no database keeps (NUL, other
    controls, broken Unicode) shown as U+FFFD; refused when empty or too long."""
    reason = storable_text(" ".join(text.split()))
    if not reason:
        raise DecisionError("a reason is required")
    if len(reason) > MAX_REASON_CHARS:
        raise DecisionError(
            f"the reason is {len(reason):,} characters; at most {MAX_REASON_CHARS:,}: shorten it"
        )
    return reason


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"

"""Text from the database or a file, made safe to print on a terminal.

A counterparty name comes from a CRM export or a Slack user: an ANSI escape in it
would recolour or clear the operator's terminal, a carriage return would overwrite
the line, a right-to-left override would show the letters in another order. Such
characters are printed as escapes (`\\x1b`, `\\u202e`), so the reader sees that
they are there and what they are.
"""

from __future__ import annotations

import unicodedata

# Controls, format characters (bidi overrides, zero-width spaces), surrogates, private
# use, and the line and paragraph separators.
_SHOWN_AS_ESCAPES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def visible(text: str) -> str:
    """`text` with every character that acts on a terminal or hides shown as an escape."""
    if text.isascii() and text.isprintable():
        return text
    return "".join(_escaped(ch) if _hidden(ch) else ch for ch in text)


def _hidden(char: str) -> bool:
    return unicodedata.category(char) in _SHOWN_AS_ESCAPES


def _escaped(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"

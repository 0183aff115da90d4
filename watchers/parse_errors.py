"""Errors raised by the pure parsers.

    ValueError
     └── ParseError            the bytes a source gave are not what it should give
          ├── csl.MalformedSnapshot
          └── (one subclass per parser family)

A parser never logs; the caller logs `str(error)`, which names the source and
where in the document the problem is.
"""

from __future__ import annotations


class ParseError(ValueError):
    def __init__(self, message: str, *, source: str, where: str | None = None) -> None:
        self.message = message
        self.source = source
        self.where = where
        location = f" ({where})" if where else ""
        super().__init__(f"{source}: {message}{location}")

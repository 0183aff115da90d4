"""Which text encoding a CSV file is in: a byte-order mark, UTF-16 by its NUL pattern,
UTF-8, or Windows-1252 when that reading is unambiguous.

Excel on Windows saves "CSV" in the ANSI code page (Windows-1252 in the West),
"Unicode text" as UTF-16 with a BOM, and "CSV UTF-8" with a UTF-8 BOM; CRM
exports are usually UTF-8. A file is read as Windows-1252 only when it holds no
valid multi-byte UTF-8 sequence at all (nothing in it suggests UTF-8) and every
byte is defined in Windows-1252; such a file is seekable and scanned whole before
a line is read. A file that mixes valid UTF-8 with other bytes is read as UTF-8,
and the reader refuses just the lines that hold the other bytes.
"""

from __future__ import annotations

import codecs
import io
import re
from dataclasses import dataclass
from typing import BinaryIO

CHUNK = 1 << 20
SAMPLE = 4096
# Bytes Windows-1252 leaves undefined: a file holding one is not Windows-1252 text.
_NOT_CP1252 = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
# After a surrogateescape decode: a character that came from valid multi-byte UTF-8,
# and one that stands for a byte that is not UTF-8.
_MULTIBYTE = re.compile("[^\x00-\x7f\udc80-\udcff]")
_ESCAPED = re.compile("[\udc80-\udcff]")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32 (with a byte-order mark)"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32 (with a byte-order mark)"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16 (with a byte-order mark)"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16 (with a byte-order mark)"),
)


@dataclass(frozen=True, slots=True)
class TextEncoding:
    codec: str  # a Python codec name, used with errors="surrogateescape"
    label: str  # as a person would name it: "UTF-8", "Windows-1252"
    # Not UTF-8 throughout, and no other reading fits: lines with other bytes are refused.
    mixed: bool = False

    @property
    def is_utf8(self) -> bool:
        return self.codec in ("utf-8", "utf-8-sig")


UTF8 = TextEncoding(codec="utf-8", label="UTF-8")
CP1252 = TextEncoding(codec="cp1252", label="Windows-1252")


def detect_encoding(stream: BinaryIO) -> tuple[TextEncoding, BinaryIO]:
    """The encoding of `stream`, and a binary stream that reads it from its first byte.

    A seekable stream is scanned whole and rewound; a pipe is judged on what it has
    sent so far (never waiting for more), and that sample is read again first."""
    if stream.seekable():
        start = stream.tell()
        found = _judge(stream.read(SAMPLE), rest=stream)
        stream.seek(start)
        return found, stream
    read1 = getattr(stream, "read1", stream.read)
    sample = read1(SAMPLE)
    replay = io.BufferedReader(_Replay(first=sample, rest=stream))
    # A pipe cannot be scanned to its end first: no Windows-1252 reading on a guess.
    found = _judge(sample, rest=None)
    return (UTF8 if found == CP1252 else found), replay


def _judge(sample: bytes, *, rest: BinaryIO | None) -> TextEncoding:
    for bom, codec, label in _BOMS:
        if sample.startswith(bom):
            return TextEncoding(codec=codec, label=label)
    utf16 = _utf16_without_bom(sample)
    if utf16 is not None:
        return utf16
    return _utf8_or_cp1252(sample, rest=rest)


def _utf16_without_bom(sample: bytes) -> TextEncoding | None:
    """Text that is mostly ASCII has a NUL in every other byte when it is UTF-16."""
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even = sample[0 : pairs * 2 : 2].count(0)
    odd = sample[1 : pairs * 2 : 2].count(0)
    if odd >= pairs * 0.3 and even <= pairs * 0.05:
        return TextEncoding(codec="utf-16-le", label="UTF-16 little-endian (no byte-order mark)")
    if even >= pairs * 0.3 and odd <= pairs * 0.05:
        return TextEncoding(codec="utf-16-be", label="UTF-16 big-endian (no byte-order mark)")
    return None


def _utf8_or_cp1252(sample: bytes, *, rest: BinaryIO | None) -> TextEncoding:
    decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
    invalid = multibyte = False
    cp1252 = True
    chunk = sample
    while chunk:
        text = decoder.decode(chunk)
        if not text.isascii():
            invalid = invalid or _ESCAPED.search(text) is not None
            multibyte = multibyte or _MULTIBYTE.search(text) is not None
            cp1252 = cp1252 and _NOT_CP1252.search(chunk) is None
        if invalid and multibyte:
            break  # mixed: nothing further can change the answer
        chunk = rest.read(CHUNK) if rest is not None else b""
    invalid = invalid or _ESCAPED.search(decoder.decode(b"", final=True)) is not None
    if not invalid:
        return UTF8
    if not multibyte and cp1252:
        return CP1252
    return TextEncoding(codec="utf-8", label="UTF-8", mixed=True)


class _Replay(io.RawIOBase):
    """The bytes already read from a pipe, then the rest of the pipe."""

    def __init__(self, *, first: bytes, rest: BinaryIO) -> None:
        super().__init__()
        self._first = first
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self._first:
            size = min(len(buffer), len(self._first))
            buffer[:size] = self._first[:size]
            self._first = self._first[size:]
            return size
        read1 = getattr(self._rest, "read1", self._rest.read)
        data: bytes = read1(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        # The caller owns the pipe: closing this view must not close it.
        self._first = b""
        super().close()

"""Loading Federal Register full-text XML safely, and reading text out of its elements.

The XML comes from a government site we trust, but it arrives over the
network and may be replaced by an error page or tampered with on the way, so
documents that declare a DOCTYPE or entities are refused: `xml.etree` would
expand internal entities ("billion laughs") and FR XML never needs them.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from watchers.federal_register.errors import BrokenXmlError

SOURCE = "federal_register.rule_xml"

# Children that start a new line of text in the printed rule; text before and
# after them must not run together ("License<LI>requirement</LI>").
_BLOCK_TAGS = frozenset({"LI", "P", "FP", "HD"})


def load_rule_root(data: bytes) -> ET.Element:
    """Parse rule XML bytes, refusing empty input, HTML pages, DOCTYPEs and entities."""
    if not data.strip():
        raise BrokenXmlError("empty document: expected Federal Register rule XML", source=SOURCE)
    head = data[:4096].lower()
    if b"<html" in head or b"<!doctype html" in head:
        raise BrokenXmlError("got an HTML page, not Federal Register rule XML", source=SOURCE)
    if b"\x00" in data[:4096]:
        # UTF-16/32 would hide "<!DOCTYPE" from the byte check below; the FR serves UTF-8.
        raise BrokenXmlError("refusing XML that is not UTF-8 or ASCII", source=SOURCE)
    lowered = data.lower()
    if b"<!doctype" in lowered or b"<!entity" in lowered:
        raise BrokenXmlError(
            "refusing XML with a DOCTYPE or entity declaration (entity expansion risk)",
            source=SOURCE,
        )
    try:
        root = ET.fromstring(data)  # noqa: S314 - DOCTYPE/ENTITY refused above
    except ET.ParseError as error:
        line, column = error.position
        raise BrokenXmlError(
            f"not well-formed XML (truncated download?): {error.msg}",
            source=SOURCE,
            where=f"line {line}, column {column}",
        ) from error
    return root


def clean(text: str) -> str:
    """Collapse the pretty-printing whitespace of FR XML into single spaces."""
    return " ".join(text.split())


def element_text(element: ET.Element) -> str:
    """The visible text of an element, footnote markers and page breaks left out."""
    pieces: list[str] = []
    _collect(element, pieces, stop_at=None)
    return clean("".join(pieces))


def head_text(element: ET.Element) -> str:
    """The text of an element up to its first `LI` (an entity cell's name line)."""
    pieces: list[str] = []
    _collect(element, pieces, stop_at="LI")
    return clean("".join(pieces))


def _collect(element: ET.Element, pieces: list[str], *, stop_at: str | None) -> bool:
    """Append the element's text to `pieces`; return True once `stop_at` was reached."""
    if element.text:
        pieces.append(element.text)
    for child in element:
        if child.tag == stop_at:
            return True
        _append_child(child, pieces)
        if child.tail:
            pieces.append(child.tail)
    return False


def _append_child(child: ET.Element, pieces: list[str]) -> None:
    if child.tag == "PRTPAGE":
        return  # a page break of the printed edition, not part of the text
    if child.tag == "SU":
        superscript = "".join(child.itertext()).strip()
        if superscript.isdigit():
            return  # a footnote marker ("734.9(g),³"), noise in a license requirement
        # An ordinal suffix ("3<SU>rd</SU>") belongs to the word before it.
        if pieces:
            pieces[-1] = pieces[-1].rstrip()
        pieces.append(superscript)
        return
    if child.tag in _BLOCK_TAGS:
        pieces.append(" ")
    _collect(child, pieces, stop_at=None)

"""The GPO bulk eCFR XML of title 15 -> the parts of 15 CFR part 744 that hold lists.

Pure: bytes in, a `Part744Text` out. The file's layout is the GPO's "e-CFR XML
User Guide": `<ECFRBRWS>` holds `<AMDDATE>` (the date the title is current
through, "May 1, 2014") and nested `DIV1`..`DIV9` elements, where `DIV5
TYPE="PART"` is a part (`N="744"`), `DIV8 TYPE="SECTION"` a section
(`N="§ 744.22"`) and `DIV9 TYPE="APPENDIX"` an appendix or supplement, named by
its `HEAD` ("Supplement No. 4 to Part 744—Entity List"). The whole title runs to
tens of megabytes, so it is read as a stream: every part but 744 is dropped as
soon as it ends, and reading stops after part 744.

Documents that declare a DOCTYPE or entities are refused, as for Federal
Register XML: the expat parser would expand internal entities.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date, datetime

from watchers.ecfr.errors import PartTextMissing, RegulationTextError
from watchers.ecfr.versions import watched_identifier

SOURCE = "ecfr.text"
_ROOT_START = re.compile(rb"<[A-Za-z]")
_DIV = re.compile(r"^DIV[1-9]$")
_IN_744 = re.compile(r"\b744\.")
_AMDDATE_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%b. %d, %Y", "%Y-%m-%d")


@dataclass(frozen=True, slots=True)
class Part744Text:
    """The watched parts of part 744, by canonical identifier, and the title's date."""

    amended_on: date | None  # AMDDATE: the eCFR is current through this date
    parts: dict[str, ET.Element]

    def part(self, identifier: str) -> ET.Element:
        found = self.parts.get(identifier)
        if found is None:
            raise PartTextMissing(
                f"{identifier} is not in part 744 of the title XML", source=SOURCE
            )
        return found


def read_part_744(data: bytes) -> Part744Text:
    """Find part 744 in a title's XML and keep its watched sections and supplements."""
    _refuse_unsafe(data)
    amended_on: date | None = None
    part: ET.Element | None = None
    try:
        # End events only (half the work of start and end); a section of another part is
        # dropped as soon as it ends, another part when it ends, and reading stops at 744's end.
        for _, element in ET.iterparse(io.BytesIO(data), events=("end",)):  # noqa: S314
            tag = element.tag
            if tag == "DIV8" and not _IN_744.search(element.get("N") or ""):
                element.clear()
            elif tag == "DIV5":
                if element.get("N") == "744":
                    part = element
                    break
                element.clear()
            elif tag == "AMDDATE":
                amended_on = _amendment_date(element.text or "")
    except ET.ParseError as error:
        line, column = error.position
        raise RegulationTextError(
            f"not well-formed XML (truncated download?): {error.msg}",
            source=SOURCE,
            where=f"line {line}, column {column}",
        ) from error
    if part is None:
        raise PartTextMissing('no part 744 (<DIV5 N="744">) in the title XML', source=SOURCE)
    return Part744Text(amended_on=amended_on, parts=_watched_parts(part))


def _refuse_unsafe(data: bytes) -> None:
    if not data.strip():
        raise RegulationTextError("empty document: expected eCFR title XML", source=SOURCE)
    head = data[:4096].lower()
    if b"<html" in head or b"<!doctype html" in head:
        raise RegulationTextError("got an HTML page, not eCFR title XML", source=SOURCE)
    if b"\x00" in data[:4096]:
        raise RegulationTextError("refusing XML that is not UTF-8, ASCII or Latin-1", source=SOURCE)
    # A DOCTYPE (and with it any entity declaration) can only come before the root element.
    root = _ROOT_START.search(data)
    prolog = data[: root.start() if root else len(data)].lower()
    if b"<!doctype" in prolog or b"<!entity" in prolog:
        raise RegulationTextError(
            "refusing XML with a DOCTYPE or entity declaration (entity expansion risk)",
            source=SOURCE,
        )


def _amendment_date(text: str) -> date | None:
    cleaned = " ".join(text.split())
    for pattern in _AMDDATE_FORMATS:
        try:
            return datetime.strptime(cleaned, pattern).date()
        except ValueError:
            continue
    return None


def _watched_parts(part: ET.Element) -> dict[str, ET.Element]:
    found: dict[str, ET.Element] = {}
    for element in part.iter():
        if not isinstance(element.tag, str) or not _DIV.match(element.tag):
            continue
        identifier = _identifier(element)
        if identifier is not None and identifier not in found:
            found[identifier] = element
    return found


def _identifier(element: ET.Element) -> str | None:
    kind = (element.get("TYPE") or "").upper()
    if kind == "SECTION":
        return watched_identifier((element.get("N") or "").replace("§", "").strip())
    if kind == "APPENDIX":
        # The bulk file's N is not always the supplement's name ("Appendix to"); its HEAD is.
        head = element.find("HEAD")
        heading = "".join(head.itertext()) if head is not None else ""
        for text in (element.get("N") or "", heading.split("—")[0]):
            identifier = watched_identifier(text.strip())
            if identifier is not None:
                return identifier
    return None

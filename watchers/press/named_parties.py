"""Names of the parties a list action is about, beyond enumerations and company forms.

Three places where the press names parties without "Co., Ltd.":
- the object of the action verb: "added Chinese company Skyrizon to the MEU
  List", "adding Huawei Technologies Co Ltd and 70 affiliates to its Entity
  List" (descriptors such as "Chinese company" are dropped; counted phrases
  such as "70 affiliates" are not names);
- the party of a denial order: "a temporary denial order for Russian airline
  Ural Airlines after ...";
- bullet lines under a sentence that ends with a colon ("Removed from the UVL
  were:" then "• Hubei Flying Optical, Qianjiang, China;").
"""

from __future__ import annotations

import re

from watchers.press.number_words import NUMBER
from watchers.press.organisations import is_organisation_name
from watchers.press.places import place_code

# Words that describe a party rather than name it, dropped from the front of an object.
_DESCRIPTORS = re.compile(
    r"^(?:a|an|the|its|their|chinese|russian|iranian|state-owned|[\w-]+-based|company|"
    r"companies|airline|airlines|carrier|cargo|aircraft|air|charter|firm|entity|"
    r"manufacturer|maker|supplier|distributor|university|telecom|giant)\s+",
    re.I,
)
_COUNTED = re.compile(
    rf"^(?:{NUMBER}|\d|dozens?|several|more|over|nearly|about|some|additional|new|other)\b", re.I
)
_GROUP_WORDS = re.compile(
    r"\b(?:entities|entries|affiliates|companies|organi[sz]ations|firms|parties|persons|"
    r"individuals|addresses|subsidiaries)\b",
    re.I,
)
# A comma before a company form ("Co., Ltd.") does not separate two names.
_SPLIT = re.compile(
    r"\s*,(?!\s*(?:Ltd|Limited|Inc|LLC|JSC|S\.A|GmbH|Pte|Corp)\b)\s*(?:and\s+)?|\s+and\s+"
)
_DENIED = re.compile(
    r"\b(?:denial\s+orders?|export\s+restrictions(?:\s+imposed)?)\s+(?:\(TDO\)\s+)?"
    r"(?:for|against|on)\s+(?P<party>[^.;:]{1,120}?)(?=\s+(?:because|after|which|that|for|"
    r"effective|to|in\s+\w+\s+\d)\b|[.;:]|,\s+(?:which|the|effective)|$)",
    re.I,
)
_BULLET = re.compile(r"^\s*[•*·-]\s*(?:and\s+)?", re.I)
# "The five entities added were X, Y and Z": a subject naming parties, then its list.
_SUBJECT_LIST = re.compile(
    r"\b(?:entities|companies|organi[sz]ations|firms|parties|groups)\b[^;:]{0,200}?"
    r"\b(?:are|were)\b[:,]?\s+(?P<items>[^;:]+)",
    re.I,
)
# A word that describes the name after it: "computing group Sugon", "company Higon".
_APPOSITIVE = re.compile(
    r"\b(?:group|company|firm|maker|makers|producer|developer|manufacturer|supplier|"
    r"distributor|carrier|airline|subsidiary|unit|affiliate|institute|university|the)$",
    re.I,
)
_CONNECTORS = frozenset({"of", "for", "de", "&", "and"})
# "the Addition of X Co. Ltd. to the Entity List": the noun's "of" is not part of the name.
_OF_FRONT = re.compile(r"^of\s+(?:the\s+)?")
# "Zorvex Microsystems Co., Ltd. of China": the place after a company form is where it is.
_FORM = r"(?:Co\.|Ltd\.?|Limited|Inc\.?|LLC|Corp\.?|Corporation|GmbH|JSC|S\.A\.|Pte\.? Ltd\.?)"
_PLACE_AFTER_FORM = re.compile(
    rf"^(?P<name>.+?{_FORM}),?\s+(?:of|in|from)\s+(?:the\s+)?(?P<place>[A-Z][\w’' -]+)$"
)
# "Ltd.", "Bhd.", "S.A.", "Co.": a short last word keeps its full stop.
_ABBREVIATED_END = re.compile(r"(?:\b[A-Z][A-Za-z]{0,3}|\.[A-Za-z])\.$")
_PARENTHESES = re.compile(r"\s*\([A-Z]{2,}\)")


def object_names(objects: list[str]) -> list[str]:
    """Names among the objects of action verbs ("X and Y" of "added X and Y to ...")."""
    names: list[str] = []
    for obj in objects:
        for piece in _SPLIT.split(obj):
            name = _name_of(piece)
            if name:
                names.append(name)
    return names


def denied_parties(sentence: str) -> list[str]:
    parties = [m.group("party") for m in _DENIED.finditer(sentence)]
    return object_names(parties)


def listed_after_subject(sentence: str) -> list[str]:
    names: list[str] = []
    for match in _SUBJECT_LIST.finditer(sentence):
        for piece in _SPLIT.split(match.group("items")):
            name = _name_of(piece)
            if name is None:
                break  # the list has run into prose
            names.append(name)
    return names


def bulleted_names(sentences: list[str], *, heading: re.Pattern[str] | None = None) -> list[str]:
    """Names on bullet lines under a sentence ending with a colon (one that `heading` finds
    something in, when given)."""
    names: list[str] = []
    for index, sentence in enumerate(sentences):
        if not sentence.rstrip().endswith(":"):
            continue
        if heading is not None and not heading.search(sentence):
            continue
        for line in sentences[index + 1 :]:
            if not _BULLET.match(line):
                break
            first = _SPLIT.split(_BULLET.sub("", line).split(":")[0].rstrip(" ;.,"))[0]
            name = _name_of(first)
            if name:
                names.append(name)
    return names


def _name_of(piece: str) -> str | None:
    text = _PARENTHESES.sub("", piece).strip(" ,;“”\"'")
    text = _OF_FRONT.sub("", _PLACE_AFTER_FORM.sub(r"\g<name>", text)).rstrip(" ,")
    if not _ABBREVIATED_END.search(text):
        text = text.rstrip(".")  # a sentence's full stop, not a company form's
    while (stripped := _DESCRIPTORS.sub("", text, count=1)) != text:
        text = stripped
    if not _DESCRIPTORS.sub("", text + " ").strip():
        return None  # only descriptors: "Russian Cargo Airlines"
    if not text or _COUNTED.match(text) or _GROUP_WORDS.search(text) or place_code(text):
        return None
    if is_organisation_name(text):
        return text
    return _after_descriptor(text)


def _after_descriptor(text: str) -> str | None:
    """ "high-performance computing group Sugon" -> "Sugon": a name after a describing noun."""
    words = text.split()
    start = len(words)
    while start > 0 and (
        words[start - 1][:1].isupper()
        or words[start - 1][:1].isdigit()
        or (words[start - 1] in _CONNECTORS and start < len(words))
    ):
        start -= 1
    while start < len(words) and words[start] in _CONNECTORS:
        start += 1
    if start == 0 or start == len(words) or not _APPOSITIVE.search(" ".join(words[:start])):
        return None
    name = " ".join(words[start:])
    return name if is_organisation_name(name) and not place_code(name) else None

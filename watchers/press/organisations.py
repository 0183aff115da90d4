"""Organisations a press release names, from enumerations and company suffixes.

Press releases name the headline entities in enumerations ("Among those
placed on the list include Dahua, Hikvision and several companies ...") or
with a company form ("Zhuhai Orbita Control Systems Co., Ltd."). This is a
heuristic that favours precision: an enumeration stops at its first item that
does not look like a name, and US government bodies are never organisations
named by an action.
"""

from __future__ import annotations

import re

from watchers.federal_register.countries import country_code
from watchers.federal_register.list_names import lists_named

_TRIGGER = re.compile(
    r"\b(?:include|includes|including|included|such as|namely|among them|for example)\b[:,]?\s+"
)
# Company forms, with or without their full stops ("Co., Ltd.", "Co Ltd", "Pte. Ltd.").
_LEGAL_FORM = (
    r"(?:Co\.?,? Ltd\.?|Pte\.? Ltd\.?|Co\.|Ltd\.?|Limited|Inc\.?|LLC|JSC|GmbH|S\.A\.|"
    r"Corporation|Corp\.?)"
)
_SUFFIX = rf"(?:{_LEGAL_FORM}|Company|Group|Institute|University|Academy|Technologies|Technology)"
_CAPITALISED = r"[A-Z][\w&'’.-]*"
# A word of a name: capitalised, or a number ("Qihoo 360"), or a bracketed place ("(Changxing)").
_NAME_PART = r"(?:[A-Z][\w&'’.-]*|\d[\w-]*|\([A-Z][\w -]*\))"
_CONNECTOR = r"(?:of|and|for|the|de|&)"
_NUMBERED = r"\d[\w-]*"  # "CASC 9th Academy 771 Research Institute"
_BRACKETED = r"\([A-Z][\w -]*\)"  # "(Wuxi)", a place inside a name
# Company forms may follow each other: "Yangtze Memory Technology Co.", "Group Ltd.",
# "Semiconductor Technology (Wuxi) Co., Ltd.", "Institute of Technology".
_SUFFIXED_NAME = re.compile(
    rf"\b{_CAPITALISED}(?:\s+(?:{_CAPITALISED}|{_NUMBERED}|{_CONNECTOR}|{_BRACKETED}))*?"
    rf"\s+{_SUFFIX}(?:(?:\s+{_BRACKETED})?,?\s+{_SUFFIX}|\s+of\s+(?:{_CAPITALISED}\s+){{0,2}}?"
    rf"{_SUFFIX})*(?![\w])"
)
# "China-based Corad Technology Ltd.": where a party is based is not part of its name.
_BASED = re.compile(r"^[A-Z][\w’'-]*-based\s+")
_STARTS_WITH_FORM = re.compile(rf"^{_LEGAL_FORM}(?!\w)")
# A name found at the start of a sentence may carry the sentence's "And".
_LEADING_CONJUNCTION = re.compile(r"^(?:And|Or|But)\s+")
_ENDS_IN_SUFFIX = re.compile(rf"{_SUFFIX}$")
# A comma inside "Co., Ltd." or "Foo, Inc." does not separate two names.
_ITEM_SEPARATOR = re.compile(r"[,;]\s+(?!(?:Ltd|Limited|Inc|LLC|JSC|S\.A|GmbH)\b)")
_NAME_WORD = re.compile(rf"^(?:{_NAME_PART}|{_CONNECTOR})$")
# US government bodies and generic words that look like names in an enumeration.
_NOT_ORGANISATIONS = re.compile(
    r"\b(?:Commerce|Treasury|Department|Bureau of Industry|U\.S\.|United States|BIS|OFAC|"
    r"Government|Secretary|Administration)\b|^(?:The|This|These|Those|It|They|A|An)\b"
)
_MAX_NAME_WORDS = 8
# "Sdn. Bhd." is a Malaysian company form, not the SDN list.
_MALAYSIAN_FORM = re.compile(r"\bSdn\.?\s+Bhd\b\.?")


def organisations_named(sentences: list[str]) -> tuple[str, ...]:
    """Organisation names found in the sentences, in order of first mention."""
    found: list[str] = []
    for sentence in sentences:
        for name in (*_enumerated(sentence), *_suffixed(sentence)):
            if name not in found:
                found.append(name)
    # "Research Institute" found inside "CASC 9th Academy 771 Research Institute" is not a name.
    return tuple(n for n in found if not any(n != other and n in other for other in found))


def _suffixed(sentence: str) -> list[str]:
    names = (
        _BASED.sub("", _LEADING_CONJUNCTION.sub("", m.group(0)))
        for m in _SUFFIXED_NAME.finditer(sentence)
    )
    # "Sugon and the Wuxi Jiangnan Institute": "and the" joins two names, it is not inside one.
    return [
        name
        for name in names
        if _is_name(name) and " and the " not in name and not _STARTS_WITH_FORM.match(name)
    ]


def _enumerated(sentence: str) -> list[str]:
    names: list[str] = []
    for trigger in _TRIGGER.finditer(sentence):
        for item in _items(sentence[trigger.end() :]):
            if not _is_name(item):
                break  # the enumeration has run into prose
            names.append(item)
    return names


def _items(enumeration: str) -> list[str]:
    """Split "A, B Co., Ltd. and several others." into its items."""
    items: list[str] = []
    for part in _ITEM_SEPARATOR.split(enumeration.rstrip(" .")):
        items.extend(_split_and(re.sub(r"^(?:and|or)\s+", "", part)))
    return items


def _split_and(part: str) -> list[str]:
    # "Hikvision and several companies" splits; "Science and Technology Co." does not:
    # split where the right side starts lower case, both sides are one word, or
    # both sides end in a company form ("X Co., Ltd. and Y Institute").
    for match in re.finditer(r"\s+(?:and|or)\s+", part):
        left, right = part[: match.start()], part[match.end() :].rstrip(".")
        if (
            right[:1].islower()
            or (" " not in left and " " not in right)
            or (_ENDS_IN_SUFFIX.search(left) and _ENDS_IN_SUFFIX.search(right))
        ):
            return [left, *_split_and(right)]
    return [part]


def is_organisation_name(text: str) -> bool:
    """Whether a short phrase looks like an organisation's name (and is no list, country or
    US agency)."""
    return _is_name(text)


def _is_name(text: str) -> bool:
    words = text.split()
    if not words or len(words) > _MAX_NAME_WORDS or not text[0].isupper():
        return False
    if not all(_NAME_WORD.match(word.strip(",.")) for word in words):
        return False
    # A list, a country or a US agency in an enumeration is not a listed organisation.
    listed = lists_named(_MALAYSIAN_FORM.sub("", text))
    return not (_NOT_ORGANISATIONS.search(text) or listed or country_code(text))

"""Split a name as the lists write it into the names a person would type.

List names carry more than a name: "(a.k.a. FETCO, Inc.)", "(f.k.a. ...)",
an acronym in parentheses ("(BUAA)"), a country in parentheses, an
"Affiliated Entity:" tail, or a trailing address ("..., Ltd., Chengdu,
Sichuan"). Each a.k.a. part, acronym and affiliated entity becomes a name of
its own; parenthesized words and trailing addresses stay with the name as
qualifiers, which count little.
"""

from __future__ import annotations

import re
from typing import Final

from screening.legal_forms import LEGAL_FORMS_ANYWHERE, LEGAL_FORMS_AT_EDGE
from screening.normalize import Kind, Token, tokenize

_AFFILIATED = re.compile(r"\s*\.?\s*affiliated entit(?:y|ies)\s*:\s*", re.IGNORECASE)
# A marker joined to a word by a hyphen ("YK-AKA") is a word of the name. The
# separators before it belong to the marker too, but are walked back to (`_also_known`):
# as the pattern's start, they made it try them at every position of every listed name
# (48 ms a build against 27 ms, timeit on the 2022 snapshot's names).
_ALSO_KNOWN = re.compile(
    r"(?<![\w\-])"
    r"(?:a[./]?\s?k[./]?\s?a|f[./]?\s?k[./]?\s?a|d[./]?\s?b[./]?\s?a|also known as|"
    r"formerly known as|doing business as)\b\.?[\s,:]*",
    re.IGNORECASE,
)
_BEFORE_MARKER = ",;(["
# The same markers in a query, which a person wrote: with dots or slashes, spelled out,
# or bare in capitals or lower case ("DBA", "aka"), standing on their own. A bare
# "Aka" in title case, or one joined by a hyphen ("Sino-DBA"), is a word of the name.
_QUERY_MARKER = re.compile(
    r"(?:^|(?<=[\s,;(\[]))"
    r"(?:(?i:(?:a[./]\s?k|f[./]\s?k|d[./]\s?b)[./]\s?a\.?)"
    r"|(?i:also known as|formerly known as|doing business as)"
    r"|aka|AKA|fka|FKA|dba|DBA)"
    r"(?=[\s,:;)\]]|$)"
)
_PARENTHESES = re.compile(r"\(([^()]*)\)")
_ACRONYM = re.compile(r"[A-Z0-9][A-Z0-9&.\-]{1,11}")
# A parenthesized part this long, with a content word, is another name of the party.
_MIN_NAME_WORDS = 3
_LEADING_AND = re.compile(r"^(?:and|or)\s+", re.IGNORECASE)


class NameVariant:
    """One name of an entry, as shown (`text`) and as compared (`tokens`).

    A plain class for the reason `Token` is one; never changed once made.
    """

    __slots__ = ("is_alias", "text", "tokens")

    def __init__(self, text: str, tokens: tuple[Token, ...], is_alias: bool) -> None:
        self.text: Final = text
        self.tokens: Final = tokens
        self.is_alias: Final = is_alias

    def __repr__(self) -> str:
        return f"NameVariant({self.text!r}, {self.tokens!r}, {self.is_alias!r})"


def name_variants(name: str, *, is_alias: bool = False) -> list[NameVariant]:
    """Every name hidden in one list name or alias, the name itself first."""
    name = _LEADING_AND.sub("", name.strip())
    parts = _AFFILIATED.split(name) if ":" in name else [name]
    variants: list[NameVariant] = []
    for number, part in enumerate(parts):
        variants.extend(_part_variants(part, is_alias=is_alias or number > 0))
    seen: set[tuple[str, ...]] = set()
    unique: list[NameVariant] = []
    for variant in variants:
        key = tuple(t.text for t in variant.tokens)
        if variant.tokens and key not in seen:
            seen.add(key)
            unique.append(variant)
    return unique


def query_variants(name: str) -> list[NameVariant]:
    """One name of a query (see `query_names`) cut as a list name is cut: "Affiliated
    Entity:" parts, parenthesized acronyms and other names, trailing addresses.

    The a.k.a. markers were read by `query_names`, with a person's spelling in mind
    ("Tokyo Aka Kogyo" is one name), so they are not read again here.
    """
    variants: list[NameVariant] = []
    for number, part in enumerate(_AFFILIATED.split(_LEADING_AND.sub("", name.strip()))):
        variants.extend(_plain_variants(part, shown=part, is_alias=number > 0))
    return [variant for variant in variants if variant.tokens]


# A note pasted after a name, as a filing or a contract writes it: ", a company organized
# under ...", ", an Iranian airline ...", "... and its subsidiaries". An article after a
# comma starts a note of three words or more; "and/including (all) its" one of any length.
_NOTE = re.compile(
    r"(?:,\s*(?:a|an|the|including|which|located|designated|incorporated|registered|"
    r"organized|organised|formerly)\s+\S+\s+\S+|\s+(?:and|including)\s+(?:all\s+)?its\s+\S+)"
    r".*$",
    re.IGNORECASE | re.DOTALL,
)
_MIN_NAME_BEFORE_NOTE = 2


def without_note(name: str) -> str | None:
    """`name` without a pasted note after it, or None when it has none."""
    match = _NOTE.search(name)
    if match is None:
        return None
    kept = name[: match.start()].strip(" ,;")
    return kept if len(tokenize(kept)) >= _MIN_NAME_BEFORE_NOTE else None


def query_names(query: str) -> list[str]:
    """The names one query gives, as a counterparty file writes them.

    "Acme Widgets d/b/a Acme Trading" or "Acme (f.k.a. Old Acme Ltd)" names two
    parties' worth of words; screened whole, each name's words count against the
    other's. Each is screened on its own instead; a query without such a marker is
    its one name.
    """
    names: list[str] = []
    start = 0
    for marker in _QUERY_MARKER.finditer(query):
        # At the start it is a name's own word ("AKA Trading"), as on the list side.
        if query[: marker.start()].strip():
            names.append(query[start : marker.start()])
            start = marker.end()
    if not names:  # no marker split it: the query is its own name, exactly as typed
        return [query]
    names.append(query[start:])
    cleaned = [_trimmed(name) for name in names]
    return [name for name in cleaned if name]


# What is left around a name cut out of "X (f.k.a. Y)": commas, and a bracket whose
# partner went with the marker ("X (", "Y)"); "Acme (Shenzhen)" keeps its own.
_OUTER_PUNCTUATION = re.compile(r"^[\s,;:)\]]+|[\s,;:(\[]+$")


def _trimmed(name: str) -> str:
    name = _OUTER_PUNCTUATION.sub("", name)
    for opening, closing in ("()", "[]"):
        if name.endswith(closing) and name.count(closing) > name.count(opening):
            name = name[:-1].rstrip()
        if name.startswith(opening) and name.count(opening) > name.count(closing):
            name = name[1:].lstrip()
    return name


def _also_known(part: str) -> tuple[int, int] | None:
    """Where the first a.k.a. marker of `part` stands, with the separators before it."""
    match = _ALSO_KNOWN.search(part)
    if match is None:
        return None
    start = match.start()
    while start and (part[start - 1].isspace() or part[start - 1] in _BEFORE_MARKER):
        start -= 1
    return start, match.end()


def _part_variants(part: str, *, is_alias: bool) -> list[NameVariant]:
    found = _also_known(part)
    if found is None or found[0] == 0:
        return _plain_variants(part, shown=part, is_alias=is_alias)
    start, end = found
    main, rest, marker = part[:start], part[end:].strip(), part[start:end]
    if "(" in marker and rest.endswith(")"):
        rest = rest[:-1]
    if "[" in marker and rest.endswith("]"):
        rest = rest[:-1]
    variants = _plain_variants(main, shown=part, is_alias=is_alias)
    for other in rest.split(";"):
        if other.strip():
            variants.extend(_part_variants(other.strip(), is_alias=True))
    return variants


def _plain_variants(text: str, *, shown: str, is_alias: bool) -> list[NameVariant]:
    acronyms: list[str] = []
    qualifiers: list[str] = []
    outside = text
    # Every listed name passes here at build; most have no brackets.
    if "(" in text:
        text = _PARENTHESES.sub(lambda inner: _legal_unwrapped(inner, text), text)
        outside = _PARENTHESES.sub(" ", text)
        for inner in _PARENTHESES.findall(text):
            inner = inner.strip()
            if _is_short_name(inner, outside):
                acronyms.append(inner)
            elif inner:
                qualifiers.append(inner)
    main, address = _split_trailing_address(outside)
    tokens = tokenize(main)
    # The acronym stays with the full name too, so that "Full Name (ACR)" typed whole
    # is covered by one name.
    initials = [a for a in acronyms if _ACRONYM.fullmatch(a)]
    for extra in [*initials, *qualifiers, address]:
        tokens.extend(tokenize(extra, qualifier=True))
    variants = [NameVariant(shown.strip(), tuple(tokens), is_alias)]
    variants.extend(NameVariant(a, tuple(tokenize(a)), True) for a in acronyms)
    return variants


_LEGAL_PHRASE_WORDS = frozenset(
    word for phrase in LEGAL_FORMS_ANYWHERE | LEGAL_FORMS_AT_EDGE for word in phrase.split()
)


def _legal_unwrapped(inner: re.Match[str], text: str) -> str:
    """A bracketed part of a legal form ("(Private) Limited", "(Pvt.) Ltd."), unbracketed.

    Read as a qualifier, "Private" would be a word of the name that the same name
    typed without brackets lacks.
    """
    if not _LEGAL_PHRASE_WORDS.intersection(inner.group(1).lower().replace(".", " ").split()):
        return inner.group(0)
    before, after = text[: inner.start()], text[inner.end() :]
    words = tokenize(inner.group(1))
    if not words:
        return inner.group(0)
    start = len(tokenize(before))
    read = tokenize(f"{before} {inner.group(1)} {after}")[start : start + len(words)]
    legal = len(read) == len(words) and all(t.kind is Kind.LEGAL for t in read)
    return f" {inner.group(1)} " if legal else inner.group(0)


def _is_short_name(inner: str, outside: str) -> bool:
    """An acronym ("BUAA"), a short form already in the name ("Huawei"), or a full name.

    "(Thailand)" or "(Hong Kong)" qualify the name instead; they stay with it.
    """
    inner_tokens = tokenize(inner)
    if inner_tokens and all(t.kind is Kind.PLACE for t in inner_tokens):
        return False  # "(U.K.)", "(HK)": where, not who
    if _ACRONYM.fullmatch(inner) and any(ch.isalpha() for ch in inner):
        return True
    words = {t.text for t in tokenize(outside)}
    if inner_tokens and all(t.text in words for t in inner_tokens):
        return True
    content = [t for t in inner_tokens if t.kind is Kind.CONTENT]
    return len(inner_tokens) >= _MIN_NAME_WORDS and bool(content)


def _split_trailing_address(text: str) -> tuple[str, str]:
    """("Chengdu Huawei Technologies Co., Ltd.", "Chengdu, Sichuan") from a list name."""
    if text.count(",") < 1:
        return text, ""
    segments = text.split(",")
    for position in range(len(segments) - 2, -1, -1):
        tokens = tokenize(segments[position])
        if tokens and tokens[-1].kind is Kind.LEGAL:
            return ",".join(segments[: position + 1]), ",".join(segments[position + 1 :])
    return text, ""

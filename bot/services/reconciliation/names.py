"""Name keys for telling whether one source lists a party another source named. Pure.

Sources spell one party slightly differently: the CSL loses apostrophes ("People?s"),
writes "&" for "and", drops or adds a final period, abbreviates a legal form that the
rule wrote out ("Ltd." / "Limited"). A key folds those differences away and nothing
else: two different companies must keep different keys, so no fuzzy matching here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

_APOSTROPHES = re.compile(r"['’‘`?]")
_NOT_WORD = re.compile(r"[^0-9a-z]+")
_LEGAL_FORMS = {
    "ltd": "limited",
    "co": "company",
    "corp": "corporation",
    "inc": "incorporated",
    "llc": "llc",
    "jsc": "jsc",
    "pjsc": "pjsc",
    "ojsc": "ojsc",
    "cjsc": "cjsc",
}


def name_key(text: str) -> str:
    """'AOOK Technology Ltd.' and 'AOOK TECHNOLOGY LIMITED' give the same key."""
    folded = unicodedata.normalize("NFKC", text).casefold().replace("&", " and ")
    words = _NOT_WORD.sub(" ", _APOSTROPHES.sub("", folded)).split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(_LEGAL_FORMS.get(w, w) for w in words)


@dataclass
class ListedKeys:
    """Every name, alias and address key a source lists, per list code."""

    by_list: dict[str, set[str]] = field(default_factory=dict)

    def add(self, list_code: str, texts: Iterable[str]) -> None:
        keys = self.by_list.setdefault(list_code, set())
        keys.update(k for k in (name_key(t) for t in texts if t) if k)

    def lists(self, list_code: str, texts: Iterable[str]) -> bool:
        """Whether any of `texts` (a name and its aliases) is listed on `list_code`."""
        keys = self.by_list.get(list_code, set())
        return any(name_key(t) in keys for t in texts if t)

    def count(self, list_code: str) -> int:
        return len(self.by_list.get(list_code, ()))

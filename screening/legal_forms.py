"""Legal forms of companies, as they look after normalization (lower case ASCII, no dots).

A legal form says what kind of company a party is, not which one, so it never
counts towards a match. Two sets, because some short forms are also ordinary
words or initials ("as", "sa", "ag", "pt"): those are legal forms only at the
start or end of a name ("SAP SE", "PT Astra"), never in the middle.
"""

from __future__ import annotations

# Phrases recognised anywhere in a name. Multi-word phrases are written with spaces.
LEGAL_FORMS_ANYWHERE: frozenset[str] = frozenset(
    {
        # English
        "co",
        "company",
        "companies",
        "corp",
        "corporation",
        "inc",
        "incorporated",
        "ltd",
        "limited",
        "llc",
        "llp",
        "lllp",
        "plc",
        "co ltd",
        "company limited",
        "limited company",
        "limited liability company",
        "limited liability partnership",
        "limited partnership",
        "public limited company",
        "private limited",
        "private limited company",
        "pvt",
        "pvt ltd",
        "joint stock company",
        "open joint stock company",
        "closed joint stock company",
        "public joint stock company",
        "joint stock",
        "jsc",
        "ojsc",
        "cjsc",
        "pjsc",
        "jsco",
        # Russian, Ukrainian, Belarusian (transliterated)
        "ooo",
        "oao",
        "zao",
        "pao",
        "tov",
        "aktsionernoe obshchestvo",
        "otkrytoe aktsionernoe obshchestvo",
        "zakrytoe aktsionernoe obshchestvo",
        "publichnoe aktsionernoe obshchestvo",
        "nepublichnoe aktsionernoe obshchestvo",
        "obshchestvo s ogranichennoy otvetstvennostyu",
        "obshchestvo s ogranichennoi otvetstvennostyu",
        "obshchestvo s ogranichennoj otvetstvennostju",
        "obshchestvo s ogranichennoy otvetstvennostiu",
        "tovarystvo z obmezhenoyu vidpovidalnistyu",
        # German, Dutch, Nordic
        "gmbh",
        "aktiengesellschaft",
        "gesellschaft mit beschrankter haftung",
        "kgaa",
        "gmbh co kg",
        "bv",
        "besloten vennootschap",
        "naamloze vennootschap",
        "aktiebolag",
        "aktieselskab",
        "allmennaksjeselskap",
        "osakeyhtio",
        # Romance languages
        "sarl",
        "srl",
        "spa",
        "sas",
        "societe anonyme",
        "societe a responsabilite limitee",
        "sociedad anonima",
        "sociedade anonima",
        "societa per azioni",
        "societatea cu raspundere limitata",
        "sa de cv",
        "s de rl de cv",
        "de cv",
        "ltda",
        # Elsewhere
        "sp z oo",
        "spolka z oo",
        "fze",
        "fzco",
        "fzc",
        "fzllc",
        "sdn bhd",
        "bhd",
        "pte",
        "pte ltd",
        "pty",
        "pty ltd",
        "kabushiki kaisha",
        "yugen kaisha",
        "tbk",
    }
)

# Short forms that are legal forms only at the edge of a name.
LEGAL_FORMS_AT_EDGE: frozenset[str] = frozenset(
    {
        "ag",
        "sa",
        "se",
        "nv",
        "ab",
        "as",
        "asa",
        "oy",
        "oyj",
        "kk",
        "pt",
        "lp",
        "kg",
        "ug",
        "ao",
        "ip",
        "sl",
        "cv",
        "na",
        "ad",
        "doo",
        "kft",
        "sro",
        "zrt",
        "eood",
        "ood",
        "sc",
        "ltd co",
        "sa rl",
        "sal",
    }
)

LONGEST_LEGAL_FORM: int = max(
    len(phrase.split()) for phrase in LEGAL_FORMS_ANYWHERE | LEGAL_FORMS_AT_EDGE
)

"""Country names as the Entity List and the press write them -> ISO 3166-1 alpha-2.

The Entity List names destinations in its own style ("CHINA, PEOPLE'S REPUBLIC
OF", "KOREA, NORTH"); press releases use nouns and adjectives ("Chinese",
"Russian"). Both resolve through the one table below so that an entry parsed
from a rule and a country read from a press release compare equal to the CSL,
whose addresses end in alpha-2 codes.

The table covers destinations that have appeared in Entity, Unverified and
Military End-User List rules plus common trading partners; it is data, not a
complete ISO list (no third-party package is needed for this).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

# code: every spelling we accept, nouns first, then adjectives / demonyms.
_FORMS: dict[str, tuple[str, ...]] = {
    "AE": ("United Arab Emirates", "UAE", "U.A.E.", "Emirati"),
    "AF": ("Afghanistan", "Afghan"),
    "AM": ("Armenia", "Armenian"),
    "AT": ("Austria", "Austrian"),
    "AU": ("Australia", "Australian"),
    "AZ": ("Azerbaijan", "Azerbaijani"),
    "BE": ("Belgium", "Belgian"),
    "BG": ("Bulgaria", "Bulgarian"),
    "BR": ("Brazil", "Brazilian"),
    "BY": ("Belarus", "Belarusian"),
    "CA": ("Canada", "Canadian"),
    "CH": ("Switzerland", "Swiss"),
    "CN": (
        "China",
        "China, People's Republic of",
        "People's Republic of China",
        "PRC",
        "P.R. China",
        "Chinese",
    ),
    "CU": ("Cuba", "Cuban"),
    "CY": ("Cyprus", "Cypriot"),
    "CZ": ("Czechia", "Czech Republic", "Czech"),
    "DE": ("Germany", "German"),
    "DK": ("Denmark", "Danish"),
    "EE": ("Estonia", "Estonian"),
    "EG": ("Egypt", "Egyptian"),
    "ES": ("Spain", "Spanish"),
    "FI": ("Finland", "Finnish"),
    "FR": ("France", "French"),
    "GB": ("United Kingdom", "UK", "U.K.", "Britain", "Great Britain", "British"),
    "GE": ("Georgia", "Georgian"),
    "GR": ("Greece", "Greek"),
    "HK": ("Hong Kong",),
    "HU": ("Hungary", "Hungarian"),
    "ID": ("Indonesia", "Indonesian"),
    "IE": ("Ireland", "Irish"),
    "IL": ("Israel", "Israeli"),
    "IN": ("India", "Indian"),
    "IQ": ("Iraq", "Iraqi"),
    "IR": ("Iran", "Iranian"),
    "IT": ("Italy", "Italian"),
    "JP": ("Japan", "Japanese"),
    "KE": ("Kenya", "Kenyan"),
    "KG": ("Kyrgyzstan", "Kyrgyz"),
    "KH": ("Cambodia", "Cambodian"),
    "KP": ("Korea, North", "North Korea", "DPRK", "North Korean"),
    "KR": ("Korea, South", "South Korea", "Republic of Korea", "South Korean"),
    "KZ": ("Kazakhstan", "Kazakh"),
    "LA": ("Laos", "Lao"),
    "LB": ("Lebanon", "Lebanese"),
    "LT": ("Lithuania", "Lithuanian"),
    "LU": ("Luxembourg", "Luxembourgish"),
    "LV": ("Latvia", "Latvian"),
    "LY": ("Libya", "Libyan"),
    "MD": ("Moldova", "Moldovan"),
    "MM": ("Burma", "Myanmar", "Burmese"),
    "MN": ("Mongolia", "Mongolian"),
    "MO": ("Macau", "Macao"),
    "MX": ("Mexico", "Mexican"),
    "MY": ("Malaysia", "Malaysian"),
    "NI": ("Nicaragua", "Nicaraguan"),
    "NL": ("Netherlands", "The Netherlands", "Dutch"),
    "NO": ("Norway", "Norwegian"),
    "NZ": ("New Zealand",),
    "OM": ("Oman", "Omani"),
    "PH": ("Philippines", "Filipino", "Philippine"),
    "PK": ("Pakistan", "Pakistani"),
    "PL": ("Poland", "Polish"),
    "RS": ("Serbia", "Serbian"),
    "RU": ("Russia", "Russian Federation", "Russian"),
    "SA": ("Saudi Arabia", "Saudi"),
    "SD": ("Sudan", "Sudanese"),
    "SE": ("Sweden", "Swedish"),
    "SG": ("Singapore", "Singaporean"),
    "SK": ("Slovakia", "Slovak"),
    "SY": ("Syria", "Syrian"),
    "TH": ("Thailand", "Thai"),
    "TJ": ("Tajikistan", "Tajik"),
    "TM": ("Turkmenistan", "Turkmen"),
    "TR": ("Turkey", "Türkiye", "Turkish"),
    "TW": ("Taiwan", "Taiwanese"),
    "UA": ("Ukraine", "Crimea region of Ukraine", "Ukrainian"),
    "US": ("United States", "United States of America", "U.S.", "USA", "American"),
    "UZ": ("Uzbekistan", "Uzbek"),
    "VE": ("Venezuela", "Venezuelan"),
    "VN": ("Vietnam", "Viet Nam", "Vietnamese"),
    "YE": ("Yemen", "Yemeni"),
    "ZA": ("South Africa", "South African"),
}


def _fold(text: str) -> str:
    # Rules write both ' and ’; case and spacing carry no meaning in a destination name.
    text = unicodedata.normalize("NFKC", text).replace("\u2019", "'").casefold()
    return " ".join(text.split())


@cache
def _by_folded_form() -> dict[str, str]:
    return {_fold(form): code for code, forms in _FORMS.items() for form in forms}


def country_code(name: str) -> str | None:
    """ISO alpha-2 code for a destination or country name ("CHINA, PEOPLE'S REPUBLIC OF")."""
    return _by_folded_form().get(_fold(name).strip(" .,"))


@cache
def _mention_pattern() -> re.Pattern[str]:
    # Longest forms first so "South Korea" wins over "Korea"; forms are case-sensitive
    # in running text ("Chad" the country, but "turkey" the bird is lower case).
    forms = sorted({f for fs in _FORMS.values() for f in fs}, key=len, reverse=True)
    alternatives = "|".join(re.escape(f) for f in forms)
    return re.compile(rf"(?<![\w.])(?:{alternatives})(?![\w])")


def countries_mentioned(text: str) -> tuple[str, ...]:
    """Alpha-2 codes of the countries a text names, as nouns or adjectives, in order."""
    codes: list[str] = []
    lookup = _by_folded_form()
    for match in _mention_pattern().finditer(text):
        code = lookup[_fold(match.group(0))]
        if code not in codes:
            codes.append(code)
    return tuple(codes)


def country_name(code: str) -> str:
    """A readable name for an alpha-2 code ("CN" -> "China"); the code itself when unknown."""
    forms = _FORMS.get(code.upper())
    return forms[0] if forms else code

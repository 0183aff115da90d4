"""Countries: ISO 3166-1 alpha-2 code <-> one English short name <-> the spellings sources use.

Reference data shared by the parsers (which turn a destination or a press
adjective into a code) and the renderers (which turn a code into the one name
an alert shows). It imports nothing of ours, so every package may use it.

Sources write a country in many ways: the Entity List prints destinations in
its own style ("CHINA, PEOPLE'S REPUBLIC OF", "KOREA, NORTH"); the CSL ends
addresses in alpha-2 codes ("..., Beijing, CN") and the ISN JSON has a
top-level `country` code; press releases use nouns and adjectives ("Chinese",
"Russian"). All of them resolve through the one table below, and everything a
person reads shows the first name of a row ("China", never "CN" or the
Entity List's inverted form).

The table covers destinations that have appeared in Entity, Unverified and
Military End-User List rules, the CSL's common address countries and major
trading partners; it is data, not a complete ISO list.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

# code: (the English short name every alert shows, then every other spelling we
# accept: Federal Register destinations, CSL variants, nouns and adjectives).
_COUNTRIES: dict[str, tuple[str, ...]] = {
    "AE": ("United Arab Emirates", "UAE", "U.A.E.", "Emirati"),
    "AF": ("Afghanistan", "Afghan"),
    "AL": ("Albania", "Albanian"),
    "AM": ("Armenia", "Armenian"),
    "AR": ("Argentina", "Argentine", "Argentinian"),
    "AT": ("Austria", "Austrian"),
    "AU": ("Australia", "Australian"),
    "AZ": ("Azerbaijan", "Azerbaijani"),
    "BA": ("Bosnia and Herzegovina",),
    "BD": ("Bangladesh", "Bangladeshi"),
    "BE": ("Belgium", "Belgian"),
    "BG": ("Bulgaria", "Bulgarian"),
    "BH": ("Bahrain", "Bahraini"),
    "BR": ("Brazil", "Brazilian"),
    "BY": ("Belarus", "Belarusian"),
    "BZ": ("Belize",),
    "CA": ("Canada", "Canadian"),
    "CH": ("Switzerland", "Swiss"),
    "CL": ("Chile", "Chilean"),
    "CN": (
        "China",
        "China, People's Republic of",
        "People's Republic of China",
        "PRC",
        "P.R. China",
        "Chinese",
    ),
    "CO": ("Colombia", "Colombian"),
    "CU": ("Cuba", "Cuban"),
    "CY": ("Cyprus", "Cypriot"),
    "CZ": ("Czechia", "Czech Republic", "Czech"),
    "DE": ("Germany", "German"),
    "DK": ("Denmark", "Danish"),
    "DZ": ("Algeria", "Algerian"),
    "EC": ("Ecuador", "Ecuadorian"),
    "EE": ("Estonia", "Estonian"),
    "EG": ("Egypt", "Egyptian"),
    "ER": ("Eritrea", "Eritrean"),
    "ES": ("Spain", "Spanish"),
    "ET": ("Ethiopia", "Ethiopian"),
    "FI": ("Finland", "Finnish"),
    "FR": ("France", "French"),
    "GB": ("United Kingdom", "UK", "U.K.", "Britain", "Great Britain", "British"),
    "GE": ("Georgia", "Georgian"),
    "GR": ("Greece", "Greek"),
    "HK": ("Hong Kong", "Hong Kong SAR", "Hong Kong, China"),
    "HR": ("Croatia", "Croatian"),
    "HU": ("Hungary", "Hungarian"),
    "ID": ("Indonesia", "Indonesian"),
    "IE": ("Ireland", "Irish"),
    "IL": ("Israel", "Israeli"),
    "IN": ("India", "Indian"),
    "IQ": ("Iraq", "Iraqi"),
    "IR": ("Iran", "Iran, Islamic Republic of", "Iranian"),
    "IS": ("Iceland", "Icelandic"),
    "IT": ("Italy", "Italian"),
    "JP": ("Japan", "Japanese"),
    "KE": ("Kenya", "Kenyan"),
    "KG": ("Kyrgyzstan", "Kyrgyz"),
    "KH": ("Cambodia", "Cambodian"),
    "KP": (
        "North Korea",
        "Korea, North",
        "Korea, Democratic People's Republic of",
        "DPRK",
        "North Korean",
    ),
    "KR": ("South Korea", "Korea, South", "Republic of Korea", "South Korean"),
    "KW": ("Kuwait", "Kuwaiti"),
    "KY": ("Cayman Islands",),
    "KZ": ("Kazakhstan", "Kazakh"),
    "LA": ("Laos", "Lao"),
    "LB": ("Lebanon", "Lebanese"),
    "LK": ("Sri Lanka", "Sri Lankan"),
    "LR": ("Liberia", "Liberian"),
    "LT": ("Lithuania", "Lithuanian"),
    "LU": ("Luxembourg", "Luxembourgish"),
    "LV": ("Latvia", "Latvian"),
    "LY": ("Libya", "Libyan"),
    "MA": ("Morocco", "Moroccan"),
    "MD": ("Moldova", "Moldovan"),
    "MK": ("North Macedonia", "Macedonia"),
    "MM": ("Burma", "Myanmar", "Burmese"),
    "MN": ("Mongolia", "Mongolian"),
    "MO": ("Macau", "Macao"),
    "MT": ("Malta", "Maltese"),
    "MU": ("Mauritius",),
    "MX": ("Mexico", "Mexican"),
    "MY": ("Malaysia", "Malaysian"),
    "NG": ("Nigeria", "Nigerian"),
    "NI": ("Nicaragua", "Nicaraguan"),
    "NL": ("Netherlands", "The Netherlands", "Dutch"),
    "NO": ("Norway", "Norwegian"),
    "NZ": ("New Zealand",),
    "OM": ("Oman", "Omani"),
    "PA": ("Panama", "Panamanian"),
    "PE": ("Peru", "Peruvian"),
    "PH": ("Philippines", "Filipino", "Philippine"),
    "PK": ("Pakistan", "Pakistani"),
    "PL": ("Poland", "Polish"),
    "PS": ("Palestinian Territories",),
    "PT": ("Portugal", "Portuguese"),
    "QA": ("Qatar", "Qatari"),
    "RO": ("Romania", "Romanian"),
    "RS": ("Serbia", "Serbian"),
    "RU": ("Russia", "Russian Federation", "Russian"),
    "SA": ("Saudi Arabia", "Saudi"),
    "SC": ("Seychelles",),
    "SD": ("Sudan", "Sudanese"),
    "SE": ("Sweden", "Swedish"),
    "SG": ("Singapore", "Singaporean"),
    "SI": ("Slovenia", "Slovenian"),
    "SK": ("Slovakia", "Slovak"),
    "SO": ("Somalia", "Somali"),
    "SY": ("Syria", "Syrian Arab Republic", "Syrian"),
    "TH": ("Thailand", "Thai"),
    "TJ": ("Tajikistan", "Tajik"),
    "TM": ("Turkmenistan", "Turkmen"),
    "TN": ("Tunisia", "Tunisian"),
    "TR": ("Türkiye", "Turkey", "Turkish"),
    "TW": ("Taiwan", "Taiwanese"),
    "UA": ("Ukraine", "Crimea region of Ukraine", "Ukrainian"),
    "US": ("United States", "United States of America", "U.S.", "USA", "American"),
    "UZ": ("Uzbekistan", "Uzbek"),
    "VE": ("Venezuela", "Venezuelan"),
    "VG": ("British Virgin Islands",),
    "VN": ("Vietnam", "Viet Nam", "Vietnamese"),
    "YE": ("Yemen", "Yemeni"),
    "ZA": ("South Africa", "South African"),
    "ZW": ("Zimbabwe", "Zimbabwean"),
}


def _fold(text: str) -> str:
    # Rules write both ' and \u2019; case and spacing carry no meaning in a destination name.
    text = unicodedata.normalize("NFKC", text).replace("\u2019", "'").casefold()
    return " ".join(text.split())


@cache
def _by_folded_form() -> dict[str, str]:
    found = {_fold(form): code for code, forms in _COUNTRIES.items() for form in forms}
    found.update({code.casefold(): code for code in _COUNTRIES})
    return found


def country_code(name: str) -> str | None:
    """ISO alpha-2 code for a destination, country name or code ("CHINA, PEOPLE'S REPUBLIC OF").

    Two letters are read as a code only when they are one we know, so "UK"
    (a form of GB) and "CN" both resolve, and an unknown word stays unknown.
    """
    return _by_folded_form().get(_fold(name).strip(" .,"))


def country_name(code_or_name: str) -> str:
    """The one English short name of a country ("CN" -> "China", "KOREA, NORTH" -> "North Korea").

    An unknown value is returned as given, so a gap in the table shows up in
    alerts instead of hiding the country.
    """
    code = country_code(code_or_name)
    return _COUNTRIES[code][0] if code else code_or_name.strip()


def known_codes() -> frozenset[str]:
    return frozenset(_COUNTRIES)


@cache
def _mention_pattern() -> re.Pattern[str]:
    # Longest forms first so "South Korea" wins over "Korea"; forms are case-sensitive
    # in running text ("Chad" the country, but "turkey" the bird is lower case).
    forms = sorted({f for fs in _COUNTRIES.values() for f in fs}, key=len, reverse=True)
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

from __future__ import annotations

import pytest

from screening.normalize import Kind, clean_text, tokenize


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("People?s Liberation Army", "peoples liberation army"),
        ("Ministry of Public Security?s Institute", "ministry of public securitys institute"),
        ("Société Générale S.A.", "societe generale sa"),
        ("J.P. Morgan & Co.", "jp morgan and co"),
        ("L.X.C Aviation", "lxc aviation"),
        (
            "Federal State Unitary Enterprise ?Crimean Railway?",
            "federal state unitary enterprise crimean railway",
        ),
        ("ＦＵＬＬ width", "full width"),
        ("😀 Hikvision 🚀", "hikvision"),
        ("华为技术有限公司", "huawei technology co ltd"),
        ("杭州海康威视数字技术股份有限公司", "hangzhou hikvision digital technology co ltd"),
        ("ООО Газпром", "ooo gazprom"),
        # Code page 437 read as Windows-1252 or Latin-1, as some CSL rows are.
        ("Co\u201dperatief", "cooperatief"),
        ("Delegaci\u00a2n Cuajimalpa", "delegacion cuajimalpa"),
        ("A\u201aroport", "aeroport"),
        ("Xi\x92an", "xian"),
        # Other control characters still separate words.
        ("54th\x85Research\x7fInstitute", "54th research institute"),
        # A dash between letters is a dash; quotes are quotes.
        ("Sino\u2013Tech", "sino tech"),
        ("OOO \u00abRomashka\u00bb", "ooo romashka"),
        ("OOO\u201cRomashka\u201d", "ooo romashka"),
        ("Xi\u2018an", "xian"),
        ("Alpha\u2022Beta", "alpha beta"),
        ("", ""),
    ],
)
def test_clean_text(raw: str, cleaned: str) -> None:
    assert clean_text(raw) == cleaned


def _kinds(text: str) -> list[tuple[str, str]]:
    return [(t.text, t.kind.name) for t in tokenize(text)]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("SAP SE", [("sap", "CONTENT"), ("se", "LEGAL")]),
        ("SE Holding", [("se", "LEGAL"), ("holding", "GENERIC")]),
        (
            "Banco Santander, S.A.",
            [("banco", "CONTENT"), ("santander", "CONTENT"), ("sa", "LEGAL")],
        ),
        (
            "Oboronnye Initsiativy o.O.O.",
            [("oboronnye", "CONTENT"), ("initsiativy", "CONTENT"), ("ooo", "LEGAL")],
        ),
        (
            "the eagles l l c",
            [
                ("the", "STOP"),
                ("eagles", "CONTENT"),
                ("l", "LEGAL"),
                ("l", "LEGAL"),
                ("c", "LEGAL"),
            ],
        ),
        (
            "Huawei Tech Intl Grp",
            [
                ("huawei", "CONTENT"),
                ("technology", "GENERIC"),
                ("international", "GENERIC"),
                ("group", "GENERIC"),
            ],
        ),
        ("Hangzhou Hikvision", [("hangzhou", "PLACE"), ("hikvision", "CONTENT")]),
        (
            "AS Norske Shell AS",
            [("as", "LEGAL"), ("norske", "CONTENT"), ("shell", "CONTENT"), ("as", "LEGAL")],
        ),
        (
            "Tactical Missiles Corporation Joint Stock Company",
            [
                ("tactical", "CONTENT"),
                ("missiles", "CONTENT"),
                ("corporation", "LEGAL"),
                ("joint", "LEGAL"),
                ("stock", "LEGAL"),
                ("company", "LEGAL"),
            ],
        ),
        # A typo in a written-out legal form is still the legal form ...
        (
            "Quillon Marine Limitted",
            [("quillon", "CONTENT"), ("marine", "CONTENT"), ("limited", "LEGAL")],
        ),
        ("Brenntal Aktiengeselschaft", [("brenntal", "CONTENT"), ("aktiengesellschaft", "LEGAL")]),
        # ... but a word two typos from a short one is another word.
        (
            "Danube Cooperation Fund",
            [("danube", "CONTENT"), ("cooperation", "CONTENT"), ("fund", "CONTENT")],
        ),
    ],
)
def test_tokenize_classifies(raw: str, expected: list[tuple[str, str]]) -> None:
    assert _kinds(raw) == expected


def test_qualifier_marks_content_words_only() -> None:
    kinds = {t.text: t.kind for t in tokenize("Chengdu, Sichuan Co.", qualifier=True)}
    assert kinds == {"chengdu": Kind.QUALIFIER, "sichuan": Kind.QUALIFIER, "co": Kind.LEGAL}

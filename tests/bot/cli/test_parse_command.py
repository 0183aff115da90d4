"""`entitywatch parse` on real documents and on files that are none of them."""

from __future__ import annotations

import json

import pytest

from bot.cli.main import main
from tests.conftest import FIXTURES

FR = FIXTURES / "federal_register"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_readme_is_refused_and_reports_no_list_action(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "parse", "README.md")
    assert code == 1 and out == "" and "list action" not in err
    assert err == (
        "entitywatch: error: document: a Markdown document, not an announcement, rule, "
        "Federal Register JSON, feed or CSL file\n"
    )


def test_real_documents_page_without_xml_urls(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "parse", str(FR / "fr-documents-bis-2026-10-02.json"))
    assert code == 0
    assert out.splitlines()[0] == "documents.json: 7 documents, 2 list rules"
    code, out, _ = run(capsys, "parse", str(FR / "fr-documents-bis-2026-10-02.json"), "--json")
    payload = json.loads(out)
    assert payload["kind"] == "fr-documents" and len(payload["documents"]) == 7


def test_address_only_rule_is_shown_as_addresses(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "parse", str(FR / "2024-13148-hong-kong-addresses.xml"))
    lines = out.splitlines()
    assert code == 0 and lines[1] == "  effective 2024-06-12; 8 entries"
    assert (
        "  add    EL   Hong Kong                address Unit D, 16/F One Capital Place, "
        "18 Luard Rd, Wan Chai, Hong Kong"
    ) in lines


def test_kind_can_be_forced_and_a_wrong_one_fails_in_one_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(capsys, "parse", "README.md", "--kind", "csl")
    assert code == 1 and err.startswith("entitywatch: error: csl: ") and err.count("\n") == 1

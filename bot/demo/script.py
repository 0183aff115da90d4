"""The demo's timeline: what each recorded source serves at each stage.

1. baseline: the May 2022 CSL, no list rule on the Federal Register, two press items
2. FR Doc 2023-03929 appears on the Public Inspection desk
3. the rule is published (13 entries, with license requirements and policies)
4. the press release about the rule arrives (a demo paraphrase of the real announcement)
5. the next CSL release lists the rule's entities (derived from the rule; see PROVENANCE)
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from importlib import resources

from bot.services.documents import bundled_snapshot
from watchers.federal_register.rule_xml import parse_rule_xml

CSL_PATH = "/csl/consolidated.csv"
DOCUMENTS_PATH = "/api/v1/documents.json"
PUBLIC_INSPECTION_PATH = "/api/v1/public-inspection-documents/current.json"
# The filing's text on the desk: the rule's own front matter (CFR part, ACTION, DATES).
RAW_TEXT_PATH = "/public-inspection/raw/2023-03929.txt"
FEED_PATH = "/press/feed.xml"
RULE_PATH = "/documents/full_text/xml/2023/02/27/2023-03929.xml"
RULE_CITATION = "88 FR 12170"
EL_SOURCE = "Entity List (EL) - Bureau of Industry and Security"


@dataclass(frozen=True, slots=True)
class Stage:
    title: str
    documents: dict[str, tuple[bytes, str]]  # path -> (body, content type)


def demo_file(name: str) -> bytes:
    return resources.files("bot").joinpath("data", "demo", name).read_bytes()


def _json_with_base(name: str, base: str) -> bytes:
    return demo_file(name).replace(b"{base}", base.encode())


def _empty(kind: str) -> bytes:
    payload: dict[str, object] = {"count": 0, "results": []}
    if kind == "documents":
        payload["total_pages"] = 0
    return json.dumps(payload).encode()


def csl_with_rule_entities(snapshot: bytes, rule_xml: bytes) -> bytes:
    """The snapshot plus one EL row per entity of the rule, as the next CSL release has them."""
    rule = parse_rule_xml(rule_xml, citation=RULE_CITATION)
    reader = csv.DictReader(io.StringIO(snapshot.decode("utf-8")))
    header = list(reader.fieldnames or [])
    merged: dict[str, dict[str, str]] = {}
    for item in rule.entries:
        entry = item.entry
        row = merged.setdefault(
            entry.name,
            {
                "source": EL_SOURCE,
                "name": entry.name,
                "alt_names": "; ".join(entry.aliases),
                "addresses": "",
                "federal_register_notice": RULE_CITATION,
                "start_date": rule.effective_on.isoformat() if rule.effective_on else "",
                "license_requirement": entry.license_requirement or "",
                "license_policy": entry.license_policy or "",
            },
        )
        # The CSL ends each address with the country's alpha-2 code; the rule prints the
        # destination as a table heading instead.
        code = entry.countries[0] if entry.countries else ""
        located = [f"{a}, {code}" if code and not a.endswith(code) else a for a in entry.addresses]
        addresses = [a for a in row["addresses"].split("; ") if a] + located
        row["addresses"] = "; ".join(dict.fromkeys(addresses))
    out = io.StringIO()
    out.write(snapshot.decode("utf-8").rstrip("\n") + "\n")
    writer = csv.DictWriter(out, fieldnames=header, restval="", lineterminator="\n")
    writer.writerows(merged.values())
    return out.getvalue().encode("utf-8")


def stages(base: str) -> list[Stage]:
    snapshot = bundled_snapshot()
    rule = demo_file("2023-03929.xml")
    xml, rss, js, csv_type = "text/xml", "application/rss+xml", "application/json", "text/csv"
    baseline = {
        CSL_PATH: (snapshot, csv_type),
        DOCUMENTS_PATH: (_empty("documents"), js),
        PUBLIC_INSPECTION_PATH: (_empty("public-inspection"), js),
        FEED_PATH: (demo_file("press-feed-before.xml"), rss),
        RULE_PATH: (rule, xml),
    }
    on_inspection = baseline | {
        PUBLIC_INSPECTION_PATH: (_json_with_base("public-inspection.json", base), js),
        RAW_TEXT_PATH: (demo_file("2023-03929.txt"), "text/plain"),
    }
    published = on_inspection | {DOCUMENTS_PATH: (_json_with_base("documents.json", base), js)}
    press = published | {FEED_PATH: (demo_file("press-feed-after.xml"), rss)}
    csl_release = press | {CSL_PATH: (csl_with_rule_entities(snapshot, rule), csv_type)}
    return [
        Stage("Day 0: first run records a baseline of every source", baseline),
        Stage("Day 1, 08:45: a BIS rule is filed on the Public Inspection desk", on_inspection),
        Stage("Day 2: the rule is published in the Federal Register", published),
        Stage("Day 2: the press release about the rule (a labelled demo paraphrase)", press),
        Stage("Day 9: the next CSL release lists the rule's entities (simulated)", csl_release),
    ]

"""Meaning rows as the Federal Register watchers store them (the contract with the
selection and classification work): inserted through `record_event`, the storage function
the watchers use, so the calendar reads exactly what a poll writes."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from storage.changes import change_dedupe_key, record_event

AFFILIATES_RULE = "2025-19001"
SUSPENSION_RULE = "2025-19846"

AFFILIATES_MEANING = [
    {
        "subject": "affiliates",
        "action": "in_force",
        "from": "2025-09-29",
        "until": None,
        "summary": "Parties owned 50 % or more by listed parties are covered.",
    }
]
SUSPENSION_MEANING = [
    {
        "subject": "affiliates",
        "action": "suspended",
        "from": "2025-11-10",
        "until": "2026-11-09",
        "summary": "The affiliates rule is suspended for one year.",
    },
    {
        "subject": "affiliates",
        "action": "reimposed",
        "from": "2026-11-10",
        "until": None,
        "summary": "The affiliates rule applies again unless BIS acts.",
    },
]


def insert_rule(
    engine: Engine,
    *,
    document: str,
    meaning: list[dict[str, Any]],
    published: date,
    kind: str = "rule_published",
    effective: date | None = None,
) -> None:
    """One selected document's change row, carrying its classification and meaning."""
    source = "public_inspection" if kind == "public_inspection" else "federal_register"
    with Session(engine) as session, session.begin():
        record_event(
            session,
            dedupe_key=change_dedupe_key(source, kind, document),
            source=source,
            kind=kind,
            now=datetime.now(UTC),
            document_number=document,
            effective_date=effective,
            after={
                "title": f"Rule {document}",
                "publication_date": published.isoformat(),
                "citation": None,
                "classification": "meaning",
                "meaning": meaning,
            },
            summary=f"Rule {document}",
        )


def insert_affiliates_history(engine: Engine) -> None:
    """The real 2025 record: the affiliates rule, then its one-year suspension."""
    insert_rule(
        engine,
        document=AFFILIATES_RULE,
        meaning=AFFILIATES_MEANING,
        published=date(2025, 9, 30),
        effective=date(2025, 9, 29),
    )
    insert_rule(
        engine,
        document=SUSPENSION_RULE,
        meaning=SUSPENSION_MEANING,
        published=date(2025, 11, 12),
        effective=date(2025, 11, 10),
    )

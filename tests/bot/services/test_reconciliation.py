"""Rules read against the CSL and the eCFR text held, with the real watchers writing the state.

The real lag: FR Doc 2023-03929 (effective 2023-02-24, 13 additions) against the May 2022
CSL, which lacks all 13. Tried: inside the allowance (pending, no alert), a CSL copy not
refreshed since the allowance ended (proves nothing, no alert), the CSL catching up (one
"caught up"), a relapse (a new lag), reruns and a second service (nothing twice), the
eCFR text listing the rule's entries (consistent) and missing one (lags).
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot.services.reconciliation.model import CONSISTENT, CSL, ECFR, LAGS, PENDING, UNKNOWN
from bot.services.reconciliation.service import ReconciliationService
from storage.models import ChangeRow
from tests.bot.reconcile_setup import (
    EFFECTIVE,
    LATER,
    RULE_PARTIES,
    import_snapshot,
    poll_kind,
    record_rule_2023_03929,
    sample_with,
    serve_ecfr_text,
)
from tests.conftest import FIXTURES, fixture_bytes
from tests.fakes.source_server import SourceServer


def csl_2022_bis_lists() -> bytes:
    """The May 2022 CSL's Entity, Unverified and MEU List rows, as the file has them (the
    other lists play no part here, and importing all 14,160 rows takes a minute on CI)."""
    text = gzip.decompress((FIXTURES / "csl" / "consolidated-2022-05.csv.gz").read_bytes())
    reader = csv.DictReader(io.StringIO(text.decode("utf-8")))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(reader.fieldnames or []), lineterminator="\n")
    writer.writeheader()
    writer.writerows(r for r in reader if "Bureau of Industry and Security" in r["source"])
    return out.getvalue().encode("utf-8")


def lag_rows(engine: Engine) -> list[tuple[str, str]]:
    with Session(engine) as session:
        rows = session.scalars(
            select(ChangeRow).where(ChangeRow.source == "reconciliation").order_by(ChangeRow.id)
        )
        return [(r.kind, r.summary or "") for r in rows]


def service(engine: Engine, moment: object) -> ReconciliationService:
    return ReconciliationService(engine=engine, clock=lambda: moment)  # type: ignore[arg-type,return-value]


def comparison(engine: Engine, moment: object, against: str = CSL) -> object:
    (found,) = [c for c in service(engine, moment).comparisons() if c.against == against]
    return found


def test_the_may_2022_csl_lacks_all_13_entries_of_2023_03929(
    engine: Engine, source_server: SourceServer
) -> None:
    record_rule_2023_03929(engine, source_server)
    import_snapshot(engine, csl_2022_bis_lists(), moment=LATER)
    new = service(engine, LATER).run_once()
    assert new == [
        "The CSL lacks 13 of the 13 entries FR Doc 2023-03929 added, in force since 2023-02-24"
    ]
    assert service(engine, LATER + timedelta(hours=1)).run_once() == []
    assert lag_rows(engine) == [("list_lag", new[0])]
    found = comparison(engine, LATER)
    assert found.state == LAGS  # type: ignore[attr-defined]
    assert "AOOK Technology Ltd." in found.missing  # type: ignore[attr-defined]
    # The eCFR text was never read: nothing can be said of it, and nothing is.
    assert comparison(engine, LATER, ECFR).state == UNKNOWN  # type: ignore[attr-defined]


def test_within_the_allowance_a_gap_is_pending_and_not_alerted(
    engine: Engine, source_server: SourceServer
) -> None:
    record_rule_2023_03929(engine, source_server)
    early = EFFECTIVE + timedelta(days=2)
    import_snapshot(engine, sample_with(()), moment=early)
    assert service(engine, early).run_once() == []
    assert comparison(engine, early).state == PENDING  # type: ignore[attr-defined]


def test_a_csl_copy_older_than_the_allowance_proves_nothing(
    engine: Engine, source_server: SourceServer
) -> None:
    record_rule_2023_03929(engine, source_server)
    import_snapshot(engine, sample_with(()), moment=EFFECTIVE + timedelta(days=1))
    assert service(engine, LATER).run_once() == []
    assert comparison(engine, LATER).state == UNKNOWN  # type: ignore[attr-defined]


def test_caught_up_once_then_a_relapse_alerts_again(
    engine: Engine, source_server: SourceServer
) -> None:
    record_rule_2023_03929(engine, source_server)
    import_snapshot(engine, sample_with(()), moment=LATER)
    assert len(service(engine, LATER).run_once()) == 1
    # A later CSL lists eight of the nine parties: still lagging, and not alerted again.
    import_snapshot(engine, sample_with(RULE_PARTIES[:-1]), moment=LATER + timedelta(days=1))
    assert service(engine, LATER + timedelta(days=1)).run_once() == []
    assert comparison(engine, LATER + timedelta(days=1)).missing == (  # type: ignore[attr-defined]
        "Promtekhkomplekt JSC",
    )
    # Then all of them ("CPUNTO INC", as a list may respell it, is still the same party).
    respelled = ("CPUNTO INC", *RULE_PARTIES[1:])
    import_snapshot(engine, sample_with(respelled), moment=LATER + timedelta(days=2))
    (caught_up,) = service(engine, LATER + timedelta(days=2)).run_once()
    assert caught_up.startswith("The CSL has caught up with FR Doc 2023-03929: it lists all 13")
    assert service(engine, LATER + timedelta(days=3)).run_once() == []
    # The CSL drops them again: a new episode, a new lag alert.
    import_snapshot(engine, sample_with(()), moment=LATER + timedelta(days=4))
    assert len(service(engine, LATER + timedelta(days=4)).run_once()) == 1
    assert [kind for kind, _ in lag_rows(engine)] == ["list_lag", "list_caught_up", "list_lag"]


def test_the_ecfr_text_is_compared_like_the_csl(
    engine: Engine, source_server: SourceServer
) -> None:
    record_rule_2023_03929(engine, source_server)
    serve_ecfr_text(source_server)
    assert poll_kind(engine, source_server, "ecfr_text", moment=LATER).ok
    assert comparison(engine, LATER, ECFR).state == CONSISTENT  # type: ignore[attr-defined]
    text = fixture_bytes("ecfr", "ECFR-title15-part744-excerpt.xml")
    without = re.sub(
        rb"<TR>(?:(?!</TR>).)*Promtekhkomplekt JSC(?:(?!</TR>).)*</TR>", b"", text, flags=re.S
    )
    assert without.count(b"<TR>") == text.count(b"<TR>") - 1
    serve_ecfr_text(source_server, without)
    later = LATER + timedelta(days=1)
    assert poll_kind(engine, source_server, "ecfr_text", moment=later).ok
    new = service(engine, later).run_once()
    assert "The eCFR lacks 1 of the 13 entries FR Doc 2023-03929 added" in new[-1]


def test_bad_input_after_a_lag_never_reads_as_caught_up(
    engine: Engine, source_server: SourceServer
) -> None:
    record_rule_2023_03929(engine, source_server)
    text = fixture_bytes("ecfr", "ECFR-title15-part744-excerpt.xml")
    rows = re.compile(rb"<TR>(?:(?!</TR>).)*88 FR 12170(?:(?!</TR>).)*</TR>", flags=re.S)
    without_rule = rows.sub(b"", text)
    serve_ecfr_text(source_server, without_rule)
    assert poll_kind(engine, source_server, "ecfr_text", moment=LATER).ok
    import_snapshot(engine, sample_with(()), moment=LATER)
    lagging = service(engine, LATER).run_once()
    assert [line.split(" lacks ")[0] for line in lagging] == ["The CSL", "The eCFR"]
    # A title that does not parse, an HTML error page, a snapshot the guard refuses.
    for broken in (text[: len(text) // 2], b"<html><body>503</body></html>"):
        serve_ecfr_text(source_server, broken)
        assert not poll_kind(engine, source_server, "ecfr_text", moment=LATER).ok
    cut_off = sample_with(RULE_PARTIES)[:-300]  # a download cut off in its last rows
    with pytest.raises(ValueError, match=r"\(truncated\?\)"):
        import_snapshot(engine, cut_off, moment=LATER + timedelta(days=1))
    for days in (1, 5, 30):
        assert service(engine, LATER + timedelta(days=days)).run_once() == []
    assert [kind for kind, _ in lag_rows(engine)] == ["list_lag", "list_lag"]

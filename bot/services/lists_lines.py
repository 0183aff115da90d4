"""One line of text per list, as `lists status` and the App Home both show it. Pure."""

from __future__ import annotations

from bot.services.lists_overview import ListOverview


def list_line(item: ListOverview) -> str:
    """'Entity List | from CSL, ... | as of ... | 2,001 entries | newest rule ... | lags: ...'"""
    parts = [item.name, f"from {item.origin}", _as_of(item), _entries(item), _newest(item)]
    if item.lags:
        parts.append("lags: " + "; ".join(c.short_text() for c in item.lags))
    if item.pending:
        parts.append("within the allowance: " + "; ".join(c.short_text() for c in item.pending))
    if item.csl_lacks_from_ecfr:
        parts.append(f"the CSL lacks {item.csl_lacks_from_ecfr} entries the eCFR lists")
    if not item.lags and not item.pending and item.csl_entries:
        parts.append("no lag found")
    return " | ".join(p for p in parts if p)


def _as_of(item: ListOverview) -> str:
    if item.csl_newest:
        return f"CSL as of {item.csl_newest.start_date.isoformat()} (newest entry)"
    if item.ecfr_entries is not None and not item.csl_entries:
        through = item.ecfr_through.isoformat() if item.ecfr_through else "an unknown date"
        return f"eCFR text through {through}"
    return "not loaded" if not item.entries else ""


def _entries(item: ListOverview) -> str:
    text = f"{item.entries:,} entries"
    extra = []
    if item.from_rules:
        extra.append(f"{item.from_rules} from rules not yet on the CSL")
    if item.ecfr_entries is not None and item.csl_entries:
        extra.append(f"eCFR {item.ecfr_entries:,}")
    return text + (f" ({', '.join(extra)})" if extra else "")


def _newest(item: ListOverview) -> str:
    rule = item.newest_rule
    if rule:
        cite = f" ({rule.citation})" if rule.citation else ""
        return f"newest rule included: FR Doc {rule.document_number}{cite}, effective " + (
            rule.effective_date.isoformat()
        )
    newest = item.csl_newest
    if newest and newest.fr_citations:
        return f"newest CSL entry cites {newest.fr_citations[0]}"
    return ""

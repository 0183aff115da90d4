"""Moved to `reference.lists`; kept so that existing importers keep working."""

from reference.lists import (
    BIS_RULE_LISTS,
    SUPPLEMENT_LISTS,
    ListAction,
    bis_rule_lists_named,
    lists_named,
)

__all__ = [
    "BIS_RULE_LISTS",
    "SUPPLEMENT_LISTS",
    "ListAction",
    "bis_rule_lists_named",
    "lists_named",
]

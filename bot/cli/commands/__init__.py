"""CLI command modules. Each has `register(subparsers, common)` and sets `handler`."""

from __future__ import annotations

from types import ModuleType

from bot.cli.commands import (
    alerts,
    audit,
    db,
    demo,
    digest,
    lists,
    ownership,
    parse,
    poll,
    rules,
    run,
    screen,
    sources,
    watchlist,
)

COMMAND_MODULES: tuple[ModuleType, ...] = (
    db,
    lists,
    poll,
    sources,
    rules,
    parse,
    screen,
    audit,
    watchlist,
    ownership,
    alerts,
    digest,
    run,
    demo,
)

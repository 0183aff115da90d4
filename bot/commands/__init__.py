"""CLI command modules. Each has `register(subparsers, common)` and sets `handler`."""

from __future__ import annotations

from types import ModuleType

from bot.commands import db, demo, lists, parse, poll

COMMAND_MODULES: tuple[ModuleType, ...] = (db, lists, poll, parse, demo)

"""Which channels an action goes to: routed by list code and by country, else the default."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.services.alerts.model import OPS_KINDS, ChangeView

# Public (C), private (G) and direct (D) conversation IDs; names like #alerts cannot be
# used with conversations.history, which the sender needs to avoid double posts.
CHANNEL_ID = re.compile(r"[CGD][A-Z0-9]{6,}")


class RoutingError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Routing:
    default_channel: str | None
    by_list: dict[str, str] = field(default_factory=dict)
    by_country: dict[str, str] = field(default_factory=dict)
    ops_channel: str | None = None

    @classmethod
    def parse(cls, spec: str, *, default_channel: str | None, ops_channel: str | None) -> Routing:
        """`list:EL=C01,country:CN=C02` -> a routing table. Raises RoutingError on a bad item."""
        by_list: dict[str, str] = {}
        by_country: dict[str, str] = {}
        for item in (part.strip() for part in spec.split(",")):
            if not item:
                continue
            kind, _, rest = item.partition(":")
            key, _, channel = rest.partition("=")
            if kind not in ("list", "country") or not key or not channel:
                raise RoutingError(
                    f"bad route {item!r}: expected list:CODE=CHANNEL or country:CC=CHANNEL"
                )
            if not CHANNEL_ID.fullmatch(channel.strip()):
                raise RoutingError(f"bad route {item!r}: {channel.strip()!r} is not a channel ID")
            target = by_list if kind == "list" else by_country
            target[key.strip().upper()] = channel.strip()
        return cls(
            default_channel=default_channel,
            by_list=by_list,
            by_country=by_country,
            ops_channel=ops_channel,
        )

    def channels_for(self, changes: Iterable[ChangeView]) -> list[str]:
        changes = list(changes)
        if changes and all(c.kind in OPS_KINDS for c in changes):
            target = self.ops_channel or self.default_channel
            return [target] if target else []
        routed: list[str] = []
        for change in changes:
            candidates = [self.by_list.get(change.list_code or "")]
            candidates += [self.by_country.get(c) for c in change.countries]
            for channel in candidates:
                if channel and channel not in routed:
                    routed.append(channel)
        if not routed and self.default_channel:
            routed.append(self.default_channel)
        return routed

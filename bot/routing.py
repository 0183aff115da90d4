"""Which channels an action goes to: routed by list code and by country, else the default."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.services.alerts.model import OPS_KINDS, ChangeView
from reference.lists import LIST_NAMES

# Public (C), private (G) and direct (D) conversation IDs; names like #alerts cannot be
# used with conversations.history, which the sender needs to avoid double posts.
CHANNEL_ID = re.compile(r"[CGD][A-Z0-9]{6,}")
COUNTRY_CODE = re.compile(r"[A-Z]{2}")


class RoutingError(ValueError):
    pass


def _check_code(item: str, *, kind: str, code: str) -> None:
    """A route whose key no change ever carries would route nothing, silently: a typo
    ("list:ENTITY") or a country name instead of its ISO code."""
    if kind == "list" and code not in LIST_NAMES:
        known = ", ".join(sorted(LIST_NAMES))
        raise RoutingError(f"bad route {item!r}: unknown list code {code!r} (known: {known})")
    # Any two letters: CSL addresses carry ISO codes beyond the countries we name.
    if kind == "country" and not COUNTRY_CODE.fullmatch(code):
        raise RoutingError(
            f"bad route {item!r}: {code!r} is not a two-letter ISO country code (e.g. CN, RU)"
        )


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
            code = key.strip().upper()
            _check_code(item, kind=kind, code=code)
            target = by_list if kind == "list" else by_country
            target[code] = channel.strip()
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

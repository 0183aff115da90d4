"""Source kinds by name. The runner, the scheduler and the CLI know sources only through here.

A kind is a factory from its settings (a `KindSettings` model declared in its folder)
to the source instances it stands for (the press kind makes one per feed). Adding one
is its folder plus one line in `_load_builtin`: the bot reads the settings of every
registered kind from the environment without naming them. Unknown names are rejected
with the list of known ones.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic

from watchers.kind_settings import KindSettings, S, SourcesConfig
from watchers.source import Source


@dataclass(frozen=True, slots=True)
class Kind(Generic[S]):
    name: str
    settings: type[S]
    factory: Callable[[S], list[Source]]

    def build(self, config: SourcesConfig) -> list[Source]:
        return self.factory(config.of(self.settings))


_KINDS: dict[str, Kind[Any]] = {}


class UnknownSource(ValueError):
    pass


def register(
    kind: str, *, settings: type[S]
) -> Callable[[Callable[[S], list[Source]]], Callable[[S], list[Source]]]:
    """Registers the decorated factory as `kind`, built from `settings`.

    Kinds of one folder may share a settings model (the Federal Register's two kinds
    read one API URL); two models may not share a field, which is one variable.
    """

    def decorate(factory: Callable[[S], list[Source]]) -> Callable[[S], list[Source]]:
        if kind in _KINDS:
            raise ValueError(f"source kind {kind!r} registered twice")
        for other in _KINDS.values():
            shared = set(settings.model_fields) & set(other.settings.model_fields)
            if other.settings is not settings and shared:
                raise ValueError(
                    f"setting {min(shared).upper()} of source kind {kind!r} is already "
                    f"a setting of source kind {other.name!r}"
                )
        _KINDS[kind] = Kind(name=kind, settings=settings, factory=factory)
        return factory

    return decorate


def unregister(kind: str) -> None:
    """Takes a kind back (a test's own kind); a built-in one stays away until the process ends."""
    _KINDS.pop(kind, None)


def kinds() -> tuple[str, ...]:
    _load_builtin()
    return tuple(sorted(_KINDS))


def registered() -> tuple[Kind[Any], ...]:
    """Every kind, by name."""
    _load_builtin()
    return tuple(_KINDS[name] for name in sorted(_KINDS))


def settings_models() -> tuple[type[KindSettings], ...]:
    """Every registered kind's settings model, each once."""
    _load_builtin()
    return tuple(dict.fromkeys(k.settings for k in _KINDS.values()))


def rate_limits(config: SourcesConfig) -> dict[str, float]:
    """Requests per second per host, as the kinds ask; the strictest where two name one host."""
    limits: dict[str, float] = {}
    for model in settings_models():
        for host, per_second in config.of(model).rate_limits().items():
            limits[host] = min(per_second, limits.get(host, per_second))
    return limits


def configured_urls(config: SourcesConfig) -> tuple[str, ...]:
    """Every http(s) address the kinds' settings hold: the sources the operator chose, whose
    origins a fetch may find at a non-public address (watchers.fetch_scope)."""
    urls: list[str] = []
    for model in settings_models():
        for value in config.of(model).model_dump().values():
            for item in value if isinstance(value, tuple | list) else (value,):
                if isinstance(item, str) and item.lower().startswith(("http://", "https://")):
                    urls.append(item)
    return tuple(dict.fromkeys(urls))


def build_sources(config: SourcesConfig, *, only: str | None = None) -> list[Source]:
    """Instances of every kind; `only` selects a kind ("press") or an instance ("press:bis")."""
    _load_builtin()
    sources = [s for kind in list(_KINDS.values()) for s in kind.build(config)]
    if only is None:
        return sources
    chosen = [s for s in sources if s.name == only or s.name.split(":", 1)[0] == only]
    if not chosen:
        known = ", ".join(sorted({s.name for s in sources} | set(_KINDS)))
        raise UnknownSource(f"unknown source {only!r}; known: {known}")
    return chosen


def _load_builtin() -> None:
    # Imported for their `register` side effect; late so that plug-ins can import this module.
    import watchers.csl.source
    import watchers.ecfr.source
    import watchers.federal_register.inspection_source
    import watchers.federal_register.source
    import watchers.press.page_source
    import watchers.press.source  # noqa: F401

"""Source kinds by name. The runner, the scheduler and the CLI know sources only through here.

A kind is a factory from `SourcesConfig` to the source instances it stands for (the
press kind makes one per feed). Unknown names are rejected with the list of known ones.
"""

from __future__ import annotations

from collections.abc import Callable

from watchers.source import Source, SourcesConfig

SourceFactory = Callable[[SourcesConfig], list[Source]]

_KINDS: dict[str, SourceFactory] = {}


class UnknownSource(ValueError):
    pass


def register(kind: str) -> Callable[[SourceFactory], SourceFactory]:
    def decorate(factory: SourceFactory) -> SourceFactory:
        if kind in _KINDS:
            raise ValueError(f"source kind {kind!r} registered twice")
        _KINDS[kind] = factory
        return factory

    return decorate


def kinds() -> tuple[str, ...]:
    _load_builtin()
    return tuple(sorted(_KINDS))


def build_sources(config: SourcesConfig, *, only: str | None = None) -> list[Source]:
    """Instances of every kind; `only` selects a kind ("press") or an instance ("press:bis")."""
    _load_builtin()
    sources = [s for factory in _KINDS.values() for s in factory(config)]
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
    import watchers.federal_register.inspection_source
    import watchers.federal_register.source
    import watchers.press.page_source
    import watchers.press.source  # noqa: F401

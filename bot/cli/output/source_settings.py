"""`entitywatch sources settings`: each source kind's settings as the process read them."""

from __future__ import annotations

from collections.abc import Sequence

from watchers.kind_settings import KindSettings, SourcesConfig
from watchers.registry import registered


def settings_lines(config: SourcesConfig) -> list[str]:
    """Per settings model, the kinds that read it, then `VARIABLE=value` and its meaning."""
    readers: dict[type[KindSettings], list[str]] = {}
    for kind in registered():
        readers.setdefault(kind.settings, []).append(kind.name)
    lines: list[str] = []
    for model, kinds in readers.items():
        if not model.model_fields:
            continue
        current = config.of(model)
        lines.append(f"{', '.join(kinds)}:")
        for name, field in model.model_fields.items():
            given = "" if name in current.model_fields_set else "  (default)"
            lines.append(f"  {name.upper()}={shown(getattr(current, name))}{given}")
            if field.description:
                lines.append(f"      {field.description}")
    return lines


def shown(value: object) -> str:
    """A value as it would be written in the environment."""
    if isinstance(value, Sequence) and not isinstance(value, str):
        return ",".join(str(v) for v in value) or "none"
    return str(value)

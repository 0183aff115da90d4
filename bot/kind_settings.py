"""The source kinds' settings, read from the environment without naming one of them.

Each kind declares its settings model in its own folder (watchers never read the
environment) and registers it (`watchers.registry`). This module reads every
registered model the way `bot.settings` reads its own settings: a variable per field,
named as the field in upper case, from the environment or the `.env` file, an empty
value counting as unset; and a bad value becomes one `SettingsError` line naming it.
"""

from __future__ import annotations

from functools import cache
from typing import cast

from pydantic import ValidationError
from pydantic_settings import BaseSettings

from bot.settings import ENVIRONMENT, Settings, settings_error
from watchers.kind_settings import KindSettings, SourcesConfig
from watchers.registry import settings_models


def load_sources_config() -> SourcesConfig:
    """Every registered kind's settings, validated (the first failure raises SettingsError)."""
    loaded: list[KindSettings] = []
    for model in settings_models():
        try:
            read = _reader(model)()
        except ValidationError as exc:
            raise settings_error(exc, flags={}) from None
        # Validated already, by the model's own validators: only the class changes.
        values = {name: getattr(read, name) for name in model.model_fields}
        loaded.append(model.model_construct(_fields_set=read.model_fields_set, **values))
    return SourcesConfig(*loaded)


@cache
def _reader(model: type[KindSettings]) -> type[BaseSettings]:
    """`model` read as `Settings` is read: its fields and validators, the environment's values.

    Decoding is off: a kind parses its own values (a list of URLs splits on commas), and
    the text it is given is what the operator typed.
    """
    shadowed = set(model.model_fields) & set(Settings.model_fields)
    if shadowed:
        raise ValueError(
            f"{model.__name__} declares {', '.join(sorted(n.upper() for n in shadowed))}, "
            "which bot/settings.py reads already"
        )
    config = ENVIRONMENT | {"enable_decoding": False}
    namespace = {"model_config": config, "__module__": __name__}
    return cast(
        type[BaseSettings],
        type(f"{model.__name__}FromEnvironment", (BaseSettings, model), namespace),
    )

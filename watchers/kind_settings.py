"""A source kind's settings: a plain, validated model declared next to its source.

Watchers never read the environment. Each kind declares a `KindSettings` model in its
folder (`watchers/csl/settings.py`, ...) and registers it with its factory; the
composition root in bot/ reads every registered model from the environment, one
variable per field named as the field in upper case (`csl_url` is `CSL_URL`), checks
it when the process starts and hands each factory its kind's instance.

Values arrive as the operator typed them. Numbers and text validate as they are; a
field of another shape parses the text itself (as `UrlList` splits commas), so that a
kind needs nothing from the reader but its model.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Annotated, TypeVar
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

# The value of a URL list that means "none" (an empty value means "the default").
NO_URLS = "none"


class KindSettings(BaseModel):
    """Base of every kind's settings model. Each field needs a default and a description
    (`entitywatch sources settings` and the README show them)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    def rate_limits(self) -> Mapping[str, float]:
        """Requests per second allowed per host, for hosts that ask for a limit."""
        return {}


def http_url(value: str) -> str:
    """An absolute http(s) URL with a host: every source and the Slack API are fetched so."""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https"):
        shown = f"scheme {parts.scheme!r}" if parts.scheme else "no scheme"
        raise ValueError(f"{value!r} has {shown}; expected an http:// or https:// URL")
    if not parts.hostname:
        raise ValueError(f"{value!r} has no host; expected a URL like https://example.org/path")
    return value.strip()


def comma_separated(value: object) -> object:
    """Text as a tuple of its comma-separated parts; `none` as no parts."""
    if not isinstance(value, str):
        return value
    if value.strip().lower() == NO_URLS:
        return ()
    return tuple(part.strip() for part in value.split(",") if part.strip())


Url = Annotated[str, AfterValidator(http_url)]
UrlList = Annotated[tuple[Url, ...], BeforeValidator(comma_separated)]
# Shorter intervals would poll public sites harder than any of them needs; longer ones than
# a day would miss a day's list actions (and overflow the scheduler's dates, at the extreme).
PollSeconds = Annotated[int, Field(ge=10, le=86_400)]
Share = Annotated[float, Field(ge=0.0, le=1.0)]

S = TypeVar("S", bound=KindSettings)


class SourcesConfig:
    """The settings of every kind, by model: what `build_sources` hands each factory.

    A model that was not given stands at its defaults, so a test can give only the
    settings it points elsewhere.
    """

    __slots__ = ("_by_model",)

    def __init__(self, *settings: KindSettings) -> None:
        self._by_model: dict[type[KindSettings], KindSettings] = {}
        for each in settings:
            if type(each) in self._by_model:
                raise ValueError(f"{type(each).__name__} given twice")
            self._by_model[type(each)] = each

    def of(self, model: type[S]) -> S:
        found = self._by_model.get(model)
        return found if isinstance(found, model) else model()

    def __iter__(self) -> Iterator[KindSettings]:
        return iter(self._by_model.values())

    def replace(self, **values: object) -> SourcesConfig:
        """A copy with the named fields changed, validated like the originals."""
        changed = dict(self._by_model)
        for model, current in self._by_model.items():
            mine = {name: value for name, value in values.items() if name in model.model_fields}
            if mine:
                changed[model] = model.model_validate(current.model_dump() | mine)
        unknown = set(values) - {name for model in changed for name in model.model_fields}
        if unknown:
            raise ValueError(f"no kind given here has a setting named {sorted(unknown)}")
        return SourcesConfig(*changed.values())

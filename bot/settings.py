"""The one reader of the environment.

Every setting comes from an environment variable of the same name (upper case)
or from a `.env` file in the working directory, and is validated when the
process starts. `load_settings()` turns a validation failure into a
`SettingsError` whose message names the variable, so the CLI can print one line.

The source kinds declare their own settings, each in its folder under watchers/;
`bot.kind_settings` reads them from the same places, as this module reads its own.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import timedelta
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot import setting_checks
from bot.routing import CHANNEL_ID, Routing, RoutingError
from screening import DEFAULT_MATCH_THRESHOLD, DEFAULT_REVIEW_THRESHOLD, Thresholds
from storage.engine import default_database_url

DURATION = re.compile(r"(?P<number>\d+(?:\.\d+)?)\s*(?P<unit>d|days?|h|hours?|m|min|minutes?)?")
DURATION_UNITS = {"d": "days", "h": "hours", "m": "minutes"}
# Slack member IDs: U... (W... on Enterprise Grid).
USER_ID = re.compile(r"[UW][A-Z0-9]{6,}")
CLOCK_TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d")


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names the variable."""


# Where settings come from and how they are read; the kinds' settings are read so too.
ENVIRONMENT = SettingsConfigDict(
    env_file=".env",
    env_file_encoding="utf-8",
    extra="ignore",
    frozen=True,
    # `SLACK_SIGNING_SECRET=` in a .env file means "not set", not "the empty secret".
    env_ignore_empty=True,
)


class Settings(BaseSettings):
    model_config = ENVIRONMENT

    # SQLAlchemy URL; postgresql://user@host/db for production. Default: a SQLite
    # file in the user's data directory.
    database_url: str = Field(default_factory=default_database_url)
    # Python logging level name.
    log_level: str = "INFO"
    # PostgreSQL connections kept per process; default: HTTP_THREADS plus the scheduler's
    # jobs and the leader's connection, so that no request waits for or churns one.
    db_pool_size: int | None = Field(default=None, ge=1)
    # Seconds without a leader heartbeat after which another replica takes over the
    # scheduler (a frozen or cut-off leader); the leader renews it every quarter of this.
    leader_stale_after: float = Field(default=60.0, ge=1.0)

    # --- fetching from sources (each kind's own settings are in its folder) ---
    # HTTP timeouts (seconds) and the largest body accepted from a source (bytes).
    http_connect_timeout: float = 10.0
    http_read_timeout: float = 60.0
    # The longest one fetch may take, all of it: redirects, retries and their waits, and a
    # body however slowly it arrives (a server trickling bytes is cut off here).
    http_total_timeout: float = 600.0
    http_max_bytes: int = Field(default=100_000_000, gt=0)
    # Retries of a fetch that failed in a way worth retrying (no connection, a timeout,
    # HTTP 408/425/429/500/502/503/504), with backoff and jitter (watchers.http); the
    # next poll tries again anyway.
    http_retries: int = Field(default=3, ge=0, le=10)
    # Consecutive failures before a source is reported down (once), and up again.
    source_down_after: int = Field(default=3, ge=1)
    # Days after which a source whose newest item is older is called stale (`sources check`,
    # App Home, digest): a feed that answers but has stopped publishing.
    source_stale_after_days: int = 30

    # --- Slack ---
    # Bot token (xoxb-...). Without it alerts are only printed.
    slack_bot_token: SecretStr | None = None
    # Signing secret used to verify every request from Slack (HTTP mode).
    slack_signing_secret: SecretStr | None = None
    # App-level token (xapp-...); when set, the bot uses Socket Mode instead of HTTP.
    slack_app_token: SecretStr | None = None
    # Slack Web API base URL: a corporate proxy or a test double can stand in.
    slack_api_url: str = "https://slack.com/api/"
    # Default channel for alerts: a channel ID such as C0123456789 (the bot must be a member).
    # IDs, not #names: the sender looks messages up by channel with conversations.history.
    alert_channel: str | None = None
    # History reads (conversations.history/replies) per minute, shared by all replicas: the
    # lookups that keep a lost answer from posting twice. 50 suits an internal app (Tier 3);
    # an app distributed outside Slack's Marketplace gets 1 a minute: set 1 there.
    slack_history_lookups_per_minute: float = Field(default=50.0, gt=0, le=1000)
    # HTTP port of the Slack request endpoint and /healthz in HTTP mode.
    port: int = Field(default=3000, ge=1, le=65535)
    # HTTP mode: worker threads, open sockets accepted (idle ones included; keep it under
    # `ulimit -n`), and seconds an idle socket is kept. See deploy/nginx.conf for the proxy.
    http_threads: int = Field(default=16, ge=1, le=256)
    http_connection_limit: int = Field(default=500, ge=10)
    http_idle_timeout: int = Field(default=30, ge=1)
    # Routes by list and country: "list:EL=C01,country:CN=C02" (default channel otherwise).
    alert_routes: str = ""
    # Channel for source outages and recoveries (default: ALERT_CHANNEL).
    ops_channel: str | None = None
    # Weekly digest schedule (cron: day of week, hour, minute) and its timezone.
    digest_day: str = "mon"
    digest_time: str = "09:00"
    digest_timezone: str = "UTC"
    # Channel for the digest (default: ALERT_CHANNEL).
    digest_channel: str | None = None
    # Channel that also gets every counterparty hit (besides the action's thread), and the
    # hits of newly added counterparties (default: ALERT_CHANNEL).
    watchlist_channel: str | None = None
    # Slack user IDs (comma-separated) who may change the watchlist and decide on hits;
    # empty means everyone in the workspace.
    watchlist_editors: Annotated[tuple[str, ...], NoDecode] = ()

    # --- screening ---
    # Score (0-1) at or above which a candidate is a "match"; at or above review: "review".
    screen_match_threshold: float = Field(default=DEFAULT_MATCH_THRESHOLD, ge=0.0, le=1.0)
    screen_review_threshold: float = Field(default=DEFAULT_REVIEW_THRESHOLD, ge=0.0, le=1.0)
    # Results shown by /screen and `entitywatch screen`.
    screen_limit: int = Field(default=5, ge=1, le=50)
    # Lists not refreshed for longer than this cannot clear a name ("cannot clear", never
    # "no match"). A duration: 3d, 72h, 90m (a bare number means days).
    lists_max_age: timedelta = timedelta(days=3)
    # How long after a rule takes effect the CSL (and the eCFR text) may lack its entries, or
    # still list the parties it removed, before one operations alert says which rule lags.
    reconcile_lag_after: timedelta = timedelta(days=3)

    # --- ownership (the affiliates rule) ---
    # Countries (ISO 3166 alpha-2, comma-separated) where a counterparty with no ownership
    # recorded is a *review* rather than a note: the rule makes ownership a duty to know.
    ownership_required_countries: Annotated[frozenset[str], NoDecode] = frozenset()

    @field_validator("ownership_required_countries", mode="before")
    @classmethod
    def _country_codes(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        codes = [part.strip().upper() for part in value.split(",") if part.strip()]
        bad = [c for c in codes if not re.fullmatch(r"[A-Z]{2}", c)]
        if bad:
            raise ValueError(f"{bad[0]!r} is not a two-letter country code such as CN or RU")
        return frozenset(codes)

    @field_validator("watchlist_editors", mode="before")
    @classmethod
    def _split_editors(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("watchlist_editors")
    @classmethod
    def _user_ids(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        # Slack names people by ID in every request; a name or @handle here would match no
        # one and silently lock everybody out of the watchlist.
        for part in value:
            if not USER_ID.fullmatch(part):
                raise ValueError(
                    f"{part!r} is not a Slack user ID like U0123456789 (a member's profile, "
                    "⋮ menu, Copy member ID)"
                )
        return value

    @field_validator("digest_time")
    @classmethod
    def _clock_time(cls, value: str) -> str:
        if not CLOCK_TIME.fullmatch(value.strip()):
            raise ValueError(f"{value!r} is not a time of day: use HH:MM, 24-hour (e.g. 09:00)")
        return value.strip()

    @field_validator("lists_max_age", "reconcile_lag_after", mode="before")
    @classmethod
    def _duration(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        found = DURATION.fullmatch(value.strip().lower())
        if not found or float(found["number"]) <= 0:
            raise ValueError(f"{value!r} is not a duration such as 3d, 72h or 90m")
        unit = DURATION_UNITS[(found["unit"] or "d")[0]]
        return timedelta(**{unit: float(found["number"])})

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        return setting_checks.database_url(value)

    @field_validator("slack_api_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        return setting_checks.http_url(value)

    @field_validator("digest_day")
    @classmethod
    def _cron_days(cls, value: str) -> str:
        return setting_checks.cron_days(value)

    @field_validator("alert_routes")
    @classmethod
    def _routes(cls, value: str) -> str:
        try:
            Routing.parse(value, default_channel=None, ops_channel=None)
        except RoutingError as exc:
            raise ValueError(str(exc)) from None
        return value

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith("xoxb-"):
            raise ValueError("must be a bot token starting with xoxb-")
        return value

    @field_validator("slack_app_token")
    @classmethod
    def _app_token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith("xapp-"):
            raise ValueError("must be an app-level token starting with xapp-")
        return value

    @field_validator("alert_channel", "ops_channel", "digest_channel", "watchlist_channel")
    @classmethod
    def _channel_id(cls, value: str | None) -> str | None:
        if value is not None and not CHANNEL_ID.fullmatch(value):
            raise ValueError(
                f"{value!r} is not a channel ID like C0123456789 "
                "(Slack shows it at the bottom of the channel's details)"
            )
        return value

    @field_validator("digest_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown timezone {value!r} (use an IANA name such as Europe/Berlin)"
            ) from None
        return value

    @model_validator(mode="after")
    def _thresholds_ordered(self) -> Settings:
        if self.screen_review_threshold > self.screen_match_threshold:
            raise ValueError("SCREEN_REVIEW_THRESHOLD must not exceed SCREEN_MATCH_THRESHOLD")
        return self

    @field_validator(
        "http_connect_timeout", "http_read_timeout", "http_total_timeout", mode="before"
    )
    @classmethod
    def _seconds(cls, value: object) -> object:
        return setting_checks.positive_seconds(value)

    @field_validator("source_stale_after_days", mode="before")
    @classmethod
    def _days(cls, value: object) -> object:
        return setting_checks.whole_days(value)

    @field_validator("log_level")
    @classmethod
    def _level_name(cls, value: str) -> str:
        upper = value.upper()
        if upper not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("must be DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return upper


# Scheduler jobs that may hold a connection at once (polls, alerts, index refresh, digest)
# plus the leader's heartbeat.
BACKGROUND_CONNECTIONS = 8


def pool_size_of(settings: Settings) -> int:
    return settings.db_pool_size or settings.http_threads + BACKGROUND_CONNECTIONS


def thresholds_of(settings: Settings) -> Thresholds:
    return Thresholds(
        match=settings.screen_match_threshold, review=settings.screen_review_threshold
    )


def load_settings(**overrides: object) -> Settings:
    """Read and validate the environment; explicit overrides (CLI flags) win."""
    given = {k: v for k, v in overrides.items() if v is not None}
    try:
        return Settings(**given)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise settings_error(exc, flags=given) from None


def settings_error(exc: ValidationError, *, flags: Mapping[str, object]) -> SettingsError:
    """The first failure in one line, naming the variable (or the flag that set the value)."""
    first = exc.errors()[0]
    message = str(first["msg"]).removeprefix("Value error, ")
    if not first["loc"]:
        return SettingsError(f"settings: {message}")
    field = str(first["loc"][0])
    # A value from a command-line flag is named as the flag, not as the variable.
    name = f"--{field.replace('_', '-')}" if field in flags else field.upper()
    return SettingsError(f"setting {name}: {message}")

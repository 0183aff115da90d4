"""The one reader of the environment.

Every setting comes from an environment variable of the same name (upper case)
or from a `.env` file in the working directory, and is validated when the
process starts. `load_settings()` turns a validation failure into a
`SettingsError` whose message names the variable, so the CLI can print one line.
"""

from __future__ import annotations

from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot import setting_checks
from bot.alerts.routing import CHANNEL_ID, Routing, RoutingError
from screening import DEFAULT_MATCH_THRESHOLD, DEFAULT_REVIEW_THRESHOLD, Thresholds
from storage.engine import default_database_url
from watchers.guard import DEFAULT_MAX_REMOVED_SHARE

DEFAULT_CSL_URL = (
    "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv"
)
DEFAULT_FR_API_URL = "https://www.federalregister.gov/api/v1/"
DEFAULT_PRESS_FEEDS = (
    "https://www.bis.gov/news-updates/rss.xml",
    "https://www.commerce.gov/feeds/news",
)


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names the variable."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        frozen=True,
        # `SLACK_SIGNING_SECRET=` in a .env file means "not set", not "the empty secret".
        env_ignore_empty=True,
    )

    # SQLAlchemy URL; postgresql://user@host/db for production. Default: a SQLite
    # file in the user's data directory.
    database_url: str = Field(default_factory=default_database_url)
    # Refuse a snapshot that would remove more than this share of any list (0-1).
    removal_guard_share: float = Field(default=DEFAULT_MAX_REMOVED_SHARE, ge=0.0, le=1.0)
    # Python logging level name.
    log_level: str = "INFO"

    # --- sources (URLs are settings so tests and proxies can point elsewhere) ---
    # Consolidated Screening List download (CSV or JSON).
    csl_url: str = DEFAULT_CSL_URL
    # Federal Register API v1 base URL (documents.json and public inspection live under it).
    fr_api_url: str = DEFAULT_FR_API_URL
    # Comma-separated RSS/Atom feed URLs of BIS and Commerce press releases.
    press_feeds: Annotated[tuple[str, ...], NoDecode] = DEFAULT_PRESS_FEEDS
    # Seconds between polls, per source.
    csl_poll_seconds: int = Field(default=3600, ge=10)
    fr_poll_seconds: int = Field(default=900, ge=10)
    public_inspection_poll_seconds: int = Field(default=600, ge=10)
    press_poll_seconds: int = Field(default=900, ge=10)
    # HTTP timeouts (seconds) and the largest body accepted from a source (bytes).
    http_connect_timeout: float = Field(default=10.0, gt=0)
    http_read_timeout: float = Field(default=60.0, gt=0)
    http_max_bytes: int = Field(default=100_000_000, gt=0)
    # Consecutive failures before a source is reported down (once), and up again.
    source_down_after: int = Field(default=3, ge=1)

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
    # HTTP port of the Slack request endpoint and /healthz in HTTP mode.
    port: int = Field(default=3000, ge=1, le=65535)
    # Routes by list and country: "list:EL=C01,country:CN=C02" (default channel otherwise).
    alert_routes: str = ""
    # Channel for source outages and recoveries (default: ALERT_CHANNEL).
    ops_channel: str | None = None
    # Weekly digest schedule (cron: day of week, hour, minute) and its timezone.
    digest_day: str = "mon"
    digest_time: str = Field(default="09:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    digest_timezone: str = "UTC"
    # Channel for the digest (default: ALERT_CHANNEL).
    digest_channel: str | None = None

    # --- screening ---
    # Score (0-1) at or above which a candidate is a "match"; at or above review: "review".
    screen_match_threshold: float = Field(default=DEFAULT_MATCH_THRESHOLD, ge=0.0, le=1.0)
    screen_review_threshold: float = Field(default=DEFAULT_REVIEW_THRESHOLD, ge=0.0, le=1.0)
    # Results shown by /screen and `entitywatch screen`.
    screen_limit: int = Field(default=5, ge=1, le=50)

    @field_validator("press_feeds", mode="before")
    @classmethod
    def _split_feeds(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        return setting_checks.database_url(value)

    @field_validator("csl_url", "fr_api_url", "slack_api_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        return setting_checks.http_url(value)

    @field_validator("press_feeds")
    @classmethod
    def _feed_urls(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(setting_checks.http_url(url) for url in value)

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

    @field_validator("alert_channel", "ops_channel", "digest_channel")
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

    @field_validator("log_level")
    @classmethod
    def _level_name(cls, value: str) -> str:
        upper = value.upper()
        if upper not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("must be DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return upper


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
        first = exc.errors()[0]
        message = str(first["msg"]).removeprefix("Value error, ")
        if not first["loc"]:
            raise SettingsError(f"settings: {message}") from None
        field = str(first["loc"][0])
        # A value from a command-line flag is named as the flag, not as the variable.
        name = f"--{field.replace('_', '-')}" if field in given else field.upper()
        raise SettingsError(f"setting {name}: {message}") from None

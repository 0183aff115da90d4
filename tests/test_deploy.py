"""The deployment files in deploy/ agree with the code.

Checked statically (no Docker, no systemd, no Slack): the compose file's services,
health checks and start order; both Slack app manifests against the listeners and the
HTTP path the bot serves; `.env.example` against the settings the code reads; the
systemd unit's hardening; the Dockerfile's stages, user and health check.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.settings import Settings
from bot.slack.http import EVENTS_PATH
from watchers.registry import settings_models

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
MANIFESTS = {
    "socket": DEPLOY / "slack-manifest.socket.yaml",
    "http": DEPLOY / "slack-manifest.http.yaml",
}
# `KEY=value` (on) or `#KEY=value` (off, showing the default); prose comments are `# ...`.
ENV_LINE = re.compile(r"^#?([A-Z][A-Z0-9_]*)=(.*)$")


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


# --- compose ---------------------------------------------------------------


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data = load_yaml(DEPLOY / "compose.yaml")
    assert isinstance(data, dict)
    return data


def test_compose_has_the_three_services(compose: dict[str, Any]) -> None:
    assert set(compose["services"]) == {"postgres", "migrate", "bot", "proxy"}
    assert "pgdata" in compose["volumes"]
    assert "pgdata:/var/lib/postgresql/data" in compose["services"]["postgres"]["volumes"]


def test_compose_health_checks(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    bot_probe = " ".join(services["bot"]["healthcheck"]["test"])
    assert "/healthz" in bot_probe
    assert "127.0.0.1:3000" in bot_probe
    # The one-shot migration serves no HTTP: the image's probe is switched off.
    assert services["migrate"]["healthcheck"] == {"disable": True}


def test_compose_start_order(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["migrate"]["command"] == ["db", "upgrade"]
    assert services["migrate"]["restart"] == "no"
    assert services["bot"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["bot"]["command"] == ["run"]
    assert services["bot"]["restart"] == "unless-stopped"


def test_compose_wiring(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert services["postgres"]["image"] == "postgres:16"
    assert services["postgres"]["environment"]["POSTGRES_PASSWORD"].startswith(
        "${POSTGRES_PASSWORD:?"
    )
    bot = services["bot"]
    assert bot["env_file"] == [".env"]
    assert "@postgres:5432/" in bot["environment"]["DATABASE_URL"]
    assert bot["environment"]["DATABASE_URL"] == services["migrate"]["environment"]["DATABASE_URL"]
    # Inside the container the bot listens on 3000; no host port, so `--scale bot=N` works.
    assert bot["environment"]["PORT"] == "3000"
    assert "ports" not in bot and bot["expose"] == ["3000"]
    assert bot["deploy"]["replicas"] == "${BOT_REPLICAS:-2}"
    assert bot["image"] == services["migrate"]["image"]
    assert bot["build"]["dockerfile"] == "deploy/Dockerfile"


def test_compose_puts_the_replicas_behind_the_proxy_of_nginx_conf(
    compose: dict[str, Any],
) -> None:
    proxy = compose["services"]["proxy"]
    published = [s for s in compose["services"].values() if "ports" in s]
    assert published == [proxy], "only the proxy publishes a host port"
    assert "./nginx.conf:/etc/nginx/conf.d/default.conf:ro" in proxy["volumes"]
    assert proxy["depends_on"]["bot"]["condition"] == "service_healthy"
    conf = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    upstream = re.search(r"upstream entitywatch \{(.*?)\}", conf, flags=re.S)
    assert upstream is not None
    servers = re.findall(r"^\s*server\s+(\S+)", upstream.group(1), flags=re.M)
    assert servers == ["bot:3000"]  # the service name: every replica
    # The certificate and key nginx.conf names are the ones compose mounts.
    for path in re.findall(r"ssl_certificate(?:_key)?\s+(\S+);", conf):
        assert any(v.split(":")[1] == path for v in proxy["volumes"]), path


# --- Slack app manifests ---------------------------------------------------


@pytest.fixture(scope="module", params=sorted(MANIFESTS))
def manifest(request: pytest.FixtureRequest) -> dict[str, Any]:
    data = load_yaml(MANIFESTS[request.param])
    assert isinstance(data, dict)
    return data


def test_manifest_declares_what_the_app_listens_to(manifest: dict[str, Any]) -> None:
    features = manifest["features"]
    assert features["app_home"]["home_tab_enabled"] is True
    assert features["bot_user"]["display_name"] == "entitywatch"
    screen, watch = features["slash_commands"]
    assert screen["command"] == "/screen"
    assert screen["usage_hint"] == "[company or person name]"
    # The watchlist command; its buttons and modal arrive as interactions.
    assert watch["command"] == "/watch"
    assert watch["usage_hint"].startswith("add <name> [| id]")
    settings = manifest["settings"]
    assert settings["event_subscriptions"]["bot_events"] == ["app_home_opened"]
    # The "Share in channel" button on /screen results arrives as an interaction.
    assert settings["interactivity"]["is_enabled"] is True


def test_manifest_bot_scopes(manifest: dict[str, Any]) -> None:
    scopes = manifest["oauth_config"]["scopes"]["bot"]
    assert len(scopes) == len(set(scopes))
    assert {"chat:write", "commands"} <= set(scopes)
    # chat.postMessage/chat.update, the /screen command, the digest chart upload, and the
    # duplicate-post lookup by metadata in public and private channels: nothing else.
    assert set(scopes) == {
        "commands",
        "chat:write",
        "files:write",
        "channels:history",
        "groups:history",
    }
    assert "user" not in manifest["oauth_config"]["scopes"]


def test_socket_manifest_has_no_request_urls() -> None:
    data = load_yaml(MANIFESTS["socket"])
    assert data["settings"]["socket_mode_enabled"] is True
    assert "request_url" not in data["settings"]["event_subscriptions"]
    assert "request_url" not in data["settings"]["interactivity"]
    assert all("url" not in command for command in data["features"]["slash_commands"])


def test_http_manifest_points_every_request_url_at_the_events_path() -> None:
    data = load_yaml(MANIFESTS["http"])
    settings = data["settings"]
    assert settings["socket_mode_enabled"] is False
    urls = [
        settings["event_subscriptions"]["request_url"],
        settings["interactivity"]["request_url"],
        *(command["url"] for command in data["features"]["slash_commands"]),
    ]
    assert len(urls) == 4  # events, interactivity, /screen, /watch
    for url in urls:
        assert url.startswith("https://YOUR-HOST/"), url  # the placeholder to fill in
        assert url.endswith(EVENTS_PATH), url


def test_the_two_manifests_differ_only_in_transport() -> None:
    def without_transport(path: Path) -> dict[str, Any]:
        data = load_yaml(path)
        settings = data["settings"]
        settings.pop("socket_mode_enabled")
        settings["event_subscriptions"].pop("request_url", None)
        settings["interactivity"].pop("request_url", None)
        for command in data["features"]["slash_commands"]:
            command.pop("url", None)
        return dict(data)

    assert without_transport(MANIFESTS["socket"]) == without_transport(MANIFESTS["http"])


# --- .env.example ----------------------------------------------------------


def env_example() -> list[tuple[str, str, str]]:
    """(name, value, comment above it) for every variable line of deploy/.env.example."""
    entries: list[tuple[str, str, str]] = []
    previous = ""
    for line in (DEPLOY / ".env.example").read_text(encoding="utf-8").splitlines():
        match = ENV_LINE.match(line)
        if match:
            entries.append((match.group(1), match.group(2), previous))
        previous = line
    return entries


def test_env_example_names_exactly_the_settings() -> None:
    names = [name for name, _, _ in env_example()]
    assert len(names) == len(set(names)), "a variable is listed twice"
    expected = {field.upper() for field in Settings.model_fields} | {
        field.upper() for model in settings_models() for field in model.model_fields
    }
    assert set(names) == expected, (
        f"missing: {sorted(expected - set(names))}, unknown: {sorted(set(names) - expected)}"
    )


def test_every_env_example_variable_has_a_comment() -> None:
    for name, _, comment in env_example():
        assert comment.startswith("# ") and len(comment) > 4, name


def test_env_example_values_are_valid_settings() -> None:
    """Every example and default, switched on at once, passes validation."""
    values: dict[str, Any] = {
        name.lower(): value for name, value, _ in env_example() if value.strip()
    }
    # The Slack secrets are left empty in the file.
    assert not {"slack_bot_token", "slack_signing_secret", "slack_app_token"} & set(values)
    Settings.model_validate(values)
    for model in settings_models():
        model.model_validate({k: v for k, v in values.items() if k in model.model_fields})


def test_env_example_leaves_secrets_and_optional_tokens_safe() -> None:
    lines = (DEPLOY / ".env.example").read_text(encoding="utf-8").splitlines()
    # An empty SLACK_SIGNING_SECRET / SLACK_APP_TOKEN would be a value, not "unset":
    # they stay switched off until filled in.
    assert "#SLACK_SIGNING_SECRET=" in lines
    assert "#SLACK_APP_TOKEN=" in lines
    assert "SLACK_BOT_TOKEN=" in lines


# --- systemd ---------------------------------------------------------------


def unit_entries(path: Path) -> dict[str, list[tuple[str, str]]]:
    sections: dict[str, list[tuple[str, str]]] = {}
    current = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            sections.setdefault(current, [])
            continue
        key, sep, value = line.partition("=")
        assert sep, f"not a key=value line: {raw!r}"
        sections[current].append((key.strip(), value.strip()))
    return sections


def test_systemd_unit() -> None:
    sections = unit_entries(DEPLOY / "entitywatch.service")
    service = dict(sections["Service"])  # the last value wins, as in systemd
    environment = [value for key, value in sections["Service"] if key == "Environment"]
    assert service["ExecStart"] == "/opt/entitywatch/venv/bin/entitywatch run"
    assert service["ExecStartPre"] == "/opt/entitywatch/venv/bin/entitywatch db upgrade"
    assert service["EnvironmentFile"] == "/etc/entitywatch/entitywatch.env"
    assert service["DynamicUser"] == "yes"
    assert service["StateDirectory"] == "entitywatch"
    assert "XDG_DATA_HOME=%S" in environment
    assert service["Restart"] == "on-failure"
    assert service["RestartSec"] == "5"
    hardening = {
        "NoNewPrivileges": "yes",
        "ProtectSystem": "strict",
        "ProtectHome": "yes",
        "PrivateTmp": "yes",
        "PrivateDevices": "yes",
        "ProtectKernelTunables": "yes",
        "ProtectKernelModules": "yes",
        "ProtectControlGroups": "yes",
        "RestrictAddressFamilies": "AF_INET AF_INET6 AF_UNIX",
        "LockPersonality": "yes",
        "MemoryDenyWriteExecute": "yes",
        "SystemCallFilter": "@system-service",
        "CapabilityBoundingSet": "",
    }
    for key, value in hardening.items():
        assert service.get(key) == value, key
    assert dict(sections["Install"])["WantedBy"] == "multi-user.target"


# --- Dockerfile --------------------------------------------------------------


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for raw in (DEPLOY / "Dockerfile").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.startswith("#"):
            continue
        pending = f"{pending} {line}".strip()
        if pending.endswith("\\"):
            pending = pending[:-1].rstrip()
            continue
        word, _, rest = pending.partition(" ")
        instructions.append((word.upper(), rest.strip()))
        pending = ""
    assert not pending, "dangling continuation line"
    return instructions


def test_dockerfile() -> None:
    instructions = dockerfile_instructions()
    froms = [args for word, args in instructions if word == "FROM"]
    # The builder has a C compiler (the full image); what runs is the slim one.
    assert froms == ["${BUILDER_IMAGE} AS builder", "${PYTHON_IMAGE} AS runtime"]
    build_args = dict(
        arg.split("=", 1) for word, arg in instructions if word == "ARG" and "=" in arg
    )
    assert build_args["PYTHON_IMAGE"] == "python:3.11-slim"
    assert build_args["BUILDER_IMAGE"] == "python:3.11"
    builder = instructions[: instructions.index(("FROM", froms[1]))]
    assert "ENTITYWATCH_COMPILE=1" in " ".join(a for w, a in builder if w == "ENV")
    # The image refuses to be built with the engine left uncompiled.
    assert any(w == "RUN" and "screening.COMPILED" in a for w, a in instructions)
    users = [args for word, args in instructions if word == "USER"]
    assert users, "no USER: the container would run as root"
    user = re.sub(r"\$\{(\w+)\}", lambda m: build_args[m.group(1)], users[-1]).split(":")[0]
    assert user.isdigit() and int(user) >= 1000, f"USER {user}: a fixed, non-root UID"
    healthchecks = [args for word, args in instructions if word == "HEALTHCHECK"]
    assert len(healthchecks) == 1
    assert "http://127.0.0.1:${PORT}/healthz" in healthchecks[0]
    assert ("EXPOSE", "3000") in instructions
    assert ("ENTRYPOINT", '["entitywatch"]') in instructions
    assert ("CMD", '["run"]') in instructions
    assert any(word == "RUN" and "pip wheel" in args for word, args in instructions)
    env = " ".join(args for word, args in instructions if word == "ENV")
    assert "PYTHONUNBUFFERED=1" in env
    assert not re.search(r"SLACK_|DATABASE_URL|PASSWORD", env), "no secret in the image"


def test_dockerignore_keeps_secrets_tests_and_venv_out() -> None:
    text = (ROOT / ".dockerignore").read_text(encoding="utf-8")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    lines = [line for line in lines if not line.startswith("#")]
    # An allow-list: everything is excluded, then only the wheel's inputs are admitted.
    assert lines[0] == "*"
    admitted = {line[1:].rstrip("/") for line in lines if line.startswith("!")}
    assert admitted == {
        "pyproject.toml",
        "setup.py",
        "README.md",
        "LICENSE",
        "bot",
        "watchers",
        "storage",
        "screening",
        "reference",
    }
    # Every package the wheel is built from (pyproject's find.include) is admitted.
    include = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "setuptools"
    ]["packages"]["find"]["include"]
    assert {pattern.rstrip("*") for pattern in include} <= admitted

"""`entitywatch run`: the scheduler and the Slack bot in one process.

Socket Mode when SLACK_APP_TOKEN is set (a laptop, no public URL); otherwise HTTP
mode on PORT with `/slack/events` and `/healthz`, for replicas behind a load balancer.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from types import FrameType
from typing import Any

from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk.errors import SlackApiError

from bot.app import AppRoot
from bot.errors import UserError
from bot.runtime import Runtime, build_runtime
from bot.services.health import HealthProbe
from bot.slack.app import Services, create_app
from bot.slack.digest_post import post_digest
from bot.slack.http import HttpLimits, create_http_server, make_wsgi, serve_until

log = logging.getLogger(__name__)
GIL_SWITCH_INTERVAL = 0.01


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    cmd = commands.add_parser("run", help="run the scheduler and the Slack bot", parents=[common])
    cmd.add_argument("--host", default="0.0.0.0", help="HTTP mode: address to listen on")  # noqa: S104
    cmd.set_defaults(handler=run_bot, long_running=True)


def run_bot(args: argparse.Namespace, ctx: AppRoot) -> int:
    settings = ctx.settings
    client = ctx.slack_client()
    if not settings.alert_channel:
        raise UserError(
            "ALERT_CHANNEL is not set: name the channel alerts go to (invite the bot there)"
        )
    engine = ctx.migrated_engine()
    _check_token(client)
    if settings.slack_app_token is not None:
        _check_app_token(client, settings.slack_app_token.get_secret_value())
    routing = ctx.routing
    _check_channels(
        client,
        [
            settings.alert_channel,
            settings.ops_channel,
            settings.digest_channel,
            *routing.by_list.values(),
            *routing.by_country.values(),
        ],
    )
    transport = ctx.slack_transport()
    digest_channel = settings.digest_channel or settings.alert_channel
    runtime = build_runtime(
        ctx,
        transport=transport,
        digest_sink=lambda digest: post_digest(client, channel=digest_channel, digest=digest),
    )
    socket_mode = settings.slack_app_token is not None
    app = create_app(
        settings,
        Services(engine=engine, screening=runtime.screening, ownership=ctx.ownership()),
        socket_mode=socket_mode,
    )
    server = None
    if not socket_mode:
        assert settings.slack_signing_secret is not None  # create_app refused it otherwise
        probe = HealthProbe(
            engine,
            scheduler_running=lambda: runtime.scheduler.running,
            is_leader=lambda: runtime.leader.holds,
        )
        # Bind before starting anything, so a taken port fails fast with one line.
        server = create_http_server(
            make_wsgi(
                app,
                health=probe,
                signing_secret=settings.slack_signing_secret.get_secret_value(),
            ),
            host=args.host,
            port=settings.port,
            limits=HttpLimits(
                threads=settings.http_threads,
                connection_limit=settings.http_connection_limit,
                channel_timeout=settings.http_idle_timeout,
            ),
        )
    runtime.screening.settle_heap = True
    # Screening is CPU work under the GIL; with the default 5 ms a dozen request threads
    # handed the GIL round more than they worked. 10 ms measured 10-20 % more /screen
    # throughput and a lower p99 at 50 connections (python -m bench.bench_load).
    sys.setswitchinterval(GIL_SWITCH_INTERVAL)
    runtime.screening.refresh()
    warn_if_lists_cannot_clear(runtime)
    stop = _Stop()
    stop.on_signals(socket_mode=socket_mode)
    runtime.start()
    try:
        if socket_mode:
            assert settings.slack_app_token is not None
            log.info("run.socket_mode")
            handler = SocketModeHandler(app, settings.slack_app_token.get_secret_value())
            handler.start()  # type: ignore[no-untyped-call]
        else:
            assert server is not None
            log.info("run.http port=%d", settings.port)
            serve_until(server, stop.requested)
            log.info("run.stopping signal=%s", stop.signal_name)
    finally:
        runtime.scheduler.shutdown(wait=False)
        runtime.leader.release()
        # The audit rows of answers already sent are written before the process ends.
        runtime.screening.close()
    return 0


class _Stop:
    """How `run` is told to stop by a service manager (SIGTERM) or a terminal (SIGINT).

    In HTTP mode a signal only sets `requested`; the serving loop sees it within 50 ms
    and `run` ends through its `finally` (queued audit rows written, leadership given
    up). Raising from the handler instead lands the exception wherever the main thread
    happens to be, even between a lock's acquire and its release (a logging handler's,
    say), and the worker threads that next wait for that lock never finish: the process
    did not stop on a loaded CI machine. Socket Mode's handler blocks where no flag is
    read, so there SIGTERM still ends `run` with SystemExit.
    """

    def __init__(self) -> None:
        self.requested = threading.Event()
        self.signal_name = ""

    def on_signals(self, *, socket_mode: bool) -> None:
        if threading.current_thread() is not threading.main_thread():
            return
        if socket_mode:
            signal.signal(signal.SIGTERM, self._exit)
            return
        signal.signal(signal.SIGTERM, self._request)
        signal.signal(signal.SIGINT, self._request)

    def _request(self, signum: int, _frame: FrameType | None) -> None:
        self.signal_name = signal.Signals(signum).name
        self.requested.set()

    def _exit(self, signum: int, _frame: FrameType | None) -> None:
        log.info("run.stopping signal=%s", signal.Signals(signum).name)
        raise SystemExit(0)


def warn_if_lists_cannot_clear(runtime: Runtime) -> None:
    """One line at start when /screen cannot clear names yet (the App Home shows it too).

    A watcher that keeps failing raises its own "source down" alert; this line is for the
    operator who starts the bot on an empty or old database.
    """
    status = runtime.screening.lists_status()
    if not status.can_clear:
        log.warning(
            "run.lists_cannot_clear state=%s reason=%r as_of=%s",
            status.state,
            status.reason,
            status.csl_as_of.isoformat() if status.csl_as_of else "none",
        )


def _check_token(client: Any) -> None:
    try:
        client.auth_test()
    except SlackApiError as exc:
        error = exc.response.get("error", "unknown_error")
        raise UserError(
            f"Slack refused SLACK_BOT_TOKEN ({error}): "
            "copy the bot token again from the app's OAuth & Permissions page"
        ) from None
    except OSError as exc:
        raise UserError(f"cannot reach Slack at SLACK_API_URL ({exc})") from None


def _check_app_token(client: Any, app_token: str) -> None:
    """Socket Mode's first call, made before anything starts: a refused app-level token
    is one line here rather than a traceback from the Socket Mode client later. The
    connection URL it returns is left unused; the handler asks for its own."""
    try:
        client.apps_connections_open(app_token=app_token)
    except SlackApiError as exc:
        error = exc.response.get("error", "unknown_error")
        raise UserError(
            f"Slack refused SLACK_APP_TOKEN ({error}): create an app-level token with the "
            "connections:write scope (the app's Basic Information page) and enable Socket Mode"
        ) from None
    except OSError as exc:
        raise UserError(f"cannot reach Slack at SLACK_API_URL ({exc})") from None


def _check_channels(client: Any, channels: list[str | None]) -> None:
    """Fail at start, not at the first alert, when the bot cannot read or post in a channel."""
    for channel in dict.fromkeys(c for c in channels if c):
        try:
            client.conversations_history(channel=channel, limit=1)
        except SlackApiError as exc:
            error = exc.response.get("error", "unknown_error")
            if error == "not_in_channel":
                raise UserError(
                    f"the bot is not in channel {channel}: type `/invite @entitywatch` there"
                ) from None
            if error == "channel_not_found":
                raise UserError(
                    f"channel {channel} does not exist or is private to the bot: "
                    "check ALERT_CHANNEL, OPS_CHANNEL and DIGEST_CHANNEL"
                ) from None
            raise UserError(f"cannot read channel {channel} ({error})") from None

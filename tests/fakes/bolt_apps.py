"""The real bolt app for tests, and a clean end: listeners and queued audit rows finish
before the test's database is dropped."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from slack_bolt import App

from bot.settings import Settings
from bot.slack.app import Services, create_app

MakeApp = Callable[[Settings, Services], App]


@contextmanager
def bolt_apps(*, workers: int = 2) -> Iterator[MakeApp]:
    """Yields `make(settings, services)`; every app made shares one listener executor."""
    executor = ThreadPoolExecutor(max_workers=workers)
    made: list[Services] = []

    def make(settings: Settings, services: Services) -> App:
        made.append(services)
        return create_app(settings, services, listener_executor=executor)

    try:
        yield make
    finally:
        # Listeners finish after the ack; the audit rows they queue are written after that.
        executor.shutdown(wait=True)
        for services in made:
            services.screening.close()


@contextmanager
def bolt_app(settings: Settings, services: Services, *, workers: int = 2) -> Iterator[App]:
    with bolt_apps(workers=workers) as make:
        yield make(settings, services)

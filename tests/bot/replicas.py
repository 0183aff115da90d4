"""`entitywatch run` replicas as real processes on one database, with their logs timed.

Each replica's stderr is read by a thread that stamps every line with the
monotonic time it arrived, so a test can ask "when did this replica first say
`leader.elected` after that moment".
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field

import requests


@dataclass
class Replica:
    name: str
    process: subprocess.Popen[str]
    base: str
    lines: list[tuple[float, str]] = field(default_factory=list)
    reader: threading.Thread | None = None

    def start_reading(self) -> None:
        def read() -> None:
            assert self.process.stdout is not None
            for line in self.process.stdout:
                self.lines.append((time.monotonic(), line.rstrip("\n")))

        self.reader = threading.Thread(target=read, daemon=True)
        self.reader.start()

    def said(self, text: str, *, after: float = 0.0) -> float | None:
        """When this replica first logged a line containing `text` after `after`."""
        for stamp, line in list(self.lines):
            if stamp >= after and text in line:
                return stamp
        return None

    def count(self, text: str, *, after: float = 0.0) -> int:
        return sum(1 for stamp, line in list(self.lines) if stamp >= after and text in line)

    def output(self) -> str:
        return "\n".join(line for _, line in self.lines)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.reader is not None:
            self.reader.join(timeout=5)  # reads to the end of the output, then stops
        if self.process.stdout is not None:
            self.process.stdout.close()


def start_replica(name: str, env: dict[str, str]) -> Replica:
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--host", "127.0.0.1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    replica = Replica(name=name, process=process, base=f"http://127.0.0.1:{env['PORT']}")
    replica.start_reading()
    return replica


def wait_healthy(replica: Replica, *, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if replica.process.poll() is not None:
            raise AssertionError(f"{replica.name} exited:\n{replica.output()}")
        try:
            if requests.get(f"{replica.base}/healthz", timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{replica.name} never became healthy:\n{replica.output()}")


def wait_for(replicas: list[Replica], text: str, *, after: float, timeout: float) -> Replica:
    """The first replica to log `text` after `after`; fails after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        said = [(r.said(text, after=after), r) for r in replicas]
        hits = [(stamp, r) for stamp, r in said if stamp is not None]
        if hits:
            return min(hits, key=lambda hit: hit[0])[1]
        time.sleep(0.1)
    logs = "\n\n".join(f"--- {r.name}\n{r.output()[-3000:]}" for r in replicas)
    raise AssertionError(f"no replica logged {text!r} within {timeout} s\n{logs}")

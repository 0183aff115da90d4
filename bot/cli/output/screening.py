"""What the screening commands share: the service, safe query text, text answers, progress.

Every answer is dated (a first line on what the lists know) and ends with a
verdict; with stale lists a "no match" is "cannot clear" (`bot.lists_status`).

The commands in `bot.cli.commands.screen` and `bot.cli.commands.audit` stay thin; the
rendering and streaming pieces here take plain values and are tested through
the CLI.
"""

from __future__ import annotations

import contextlib
import csv
import getpass
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TextIO

from bot.cli.output.result_blocks import count_line, render_results, terminal_width, wrapped
from bot.cli.output.terminal_text import visible
from bot.errors import UserError
from bot.services.lists_status import CANNOT_CLEAR, ListsStatus, dating
from bot.services.monitoring.planning import neutralised
from bot.services.screening import ScreeningOutcome
from screening.display import controls_shown, has_direction_controls

HOW_TO_LOAD = (
    "load current lists with `entitywatch poll --source csl --once` "
    "(or `entitywatch lists import PATH_OR_URL`)"
)


def storable(text: str) -> str:
    """`text` with the characters no database or terminal accepts replaced by U+FFFD.

    Undecodable bytes in argv arrive as lone surrogates, which cannot be encoded
    as UTF-8, and PostgreSQL refuses NUL in text; either would turn a bad query
    into a traceback at the audit insert instead of a screening.
    """
    cleaned = text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    return cleaned.replace("\x00", "\ufffd")


def cli_user() -> str | None:
    """The operating-system user for the audit trail, if the system can name one."""
    try:
        return getpass.getuser()
    # A container user without a passwd entry and no USER variable: audit without a name.
    except (KeyError, OSError):
        return None


def render_answer(outcome: ScreeningOutcome, *, width: int | None = None) -> str:
    """The whole text answer: the dating line, one block per candidate, how many were
    shown and left out, then the verdict, every line within `width` (the terminal's)."""
    width = width or terminal_width()
    lines = wrapped(dating(outcome.lists), width=width)
    if has_direction_controls(outcome.query):
        # What the reader typed or pasted may display otherwise than it is stored.
        query = visible(controls_shown(outcome.query))
        lines += wrapped(f"query: {query}; screened as stored and as displayed", width=width)
    if outcome.results:
        lines += render_results(outcome.results, addresses=outcome.addresses_of, width=width)
        lines += wrapped(count_line(len(outcome.results), outcome.omitted), width=width)
    else:
        lines.append("no candidate on any list scored high enough to show")
    lines += wrapped(verdict_line(outcome.verdict, outcome.lists), width=width)
    return "\n".join(lines)


def verdict_line(verdict: str, lists: ListsStatus) -> str:
    if verdict == CANNOT_CLEAR:
        return f"verdict: CANNOT CLEAR: {lists.reason}"
    line = f"verdict: {verdict}"
    if not lists.can_clear:
        line += f" (and the lists are not current: {lists.reason})"
    return line


class ProgressBar:
    """A carriage-return bar on a terminal; silent when the stream is not one.

    Progress is the share of input bytes read, because counting rows first
    would mean reading a large file twice.
    """

    WIDTH = 30
    EVERY_SECONDS = 0.1

    def __init__(self, *, stream: TextIO, total_bytes: int) -> None:
        self._stream = stream
        self._total = max(total_bytes, 1)
        self._enabled = stream.isatty()
        self._shown_at = 0.0

    def update(self, *, done_bytes: int, rows: int) -> None:
        now = time.monotonic()
        if not self._enabled or now - self._shown_at < self.EVERY_SECONDS:
            return
        self._shown_at = now
        self._draw(min(done_bytes / self._total, 1.0), rows)

    def finish(self, *, rows: int) -> None:
        if self._enabled:
            self._draw(1.0, rows)
            self._stream.write("\n")
            self._stream.flush()

    def _draw(self, share: float, rows: int) -> None:
        filled = round(share * self.WIDTH)
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        self._stream.write(f"\r[{bar}] {share:4.0%}  {rows:,} rows")
        self._stream.flush()


@contextlib.contextmanager
def open_csv_output(out: str | None, *, overwrite: bool = True) -> Iterator[TextIO]:
    """A text stream for CSV output: the file `out`, or standard output for None or "-".

    With `overwrite=False` an existing file is refused, not truncated.
    """
    if out is not None and out != "-":
        try:
            handle = open(out, "w" if overwrite else "x", encoding="utf-8", newline="")  # noqa: SIM115
        except FileExistsError:
            raise UserError(f"{out} exists; use --force to overwrite it") from None
        except OSError as exc:
            raise UserError(f"cannot write {out}: {exc.strerror}") from None
        with handle:
            yield handle
        return
    try:
        yield sys.stdout
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader (`| head`) went away; the interpreter would report the pipe again
        # when it flushes stdout at exit, so point stdout at /dev/null first.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise UserError("standard output was closed; stopped before the end") from None


def export_csv(
    out: str,
    *,
    force: bool,
    header: Sequence[str],
    rows: Callable[[], Iterable[Sequence[str | None]]],
    noun: str,
) -> int:
    """Write `header` and `rows()` as CSV to `out` (a file, or "-" for standard output),
    every cell neutralised for spreadsheets; an existing file is kept unless `force`. The
    rows are asked for only once the file is open, so a refused file reads nothing."""
    count = 0
    with open_csv_output(out, overwrite=force) as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(header)
        for cells in rows():
            writer.writerow([neutralised(c or "") for c in cells])
            count += 1
    if out != "-":
        print(f"wrote {count:,} {noun} to {out}")
    return count

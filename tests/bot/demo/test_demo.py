"""The README's first command, `entitywatch demo --no-input`, end to end as a process."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.fakes.slack_api import FakeSlackApi


def demo_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "ALERT_", "DATABASE_", "NO_COLOR", "LOG_"))
    }
    env.update(extra)
    return env


def run_demo(
    tmp_path: Path, env: dict[str, str], *, keep: bool = True, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "bot", "demo"]
    argv += ["--data-dir", str(tmp_path / "demo")] if keep else []
    argv += [] if stdin is not None else ["--no-input"]
    return subprocess.run(
        argv, env=env, capture_output=True, text=True, timeout=300, check=False,
        input=stdin, stdin=None if stdin is not None else subprocess.DEVNULL,
    )  # fmt: skip


# What differs between two runs of the demo: the local server's port, the digest's window
# (today) and ages ("<1m ago"). Everything else must be byte for byte the same.
VARYING = (
    (re.compile(r"127\.0\.0\.1:\d+"), "127.0.0.1:PORT"),
    (re.compile(r"digest \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d"), "digest DATE to DATE"),
    (re.compile(r"(<\s?)?\d+\s?[smhd] ago"), "AGE ago"),
    # When the lists were refreshed: the moment of the run (the dating line says it).
    (re.compile(r"refreshed \d{4}-\d\d-\d\d \d\d:\d\d UTC"), "refreshed TIME"),
)


def normalised(transcript: str) -> str:
    for pattern, replacement in VARYING:
        transcript = pattern.sub(replacement, transcript)
    return transcript


@dataclass(frozen=True)
class ThreeRuns:
    runs: list[subprocess.CompletedProcess[str]]
    temp: Path  # their TMPDIR


@pytest.fixture(scope="module")
def three_runs(tmp_path_factory: pytest.TempPathFactory) -> ThreeRuns:
    """Three `demo --no-input` runs at once, shared by the tests that read a transcript (a
    run costs about 20 s of CPU)."""
    folder = tmp_path_factory.mktemp("demo-runs")
    temp = folder / "tmp"
    temp.mkdir()
    # At once: the runs must not share anything (database, port, temporary folder) either.
    with ThreadPoolExecutor(max_workers=3) as pool:
        runs = list(
            pool.map(lambda _: run_demo(folder, demo_env(TMPDIR=str(temp)), keep=False), range(3))
        )
    return ThreeRuns(runs=runs, temp=temp)


def test_demo_transcript_is_the_same_on_three_runs_and_leaves_nothing(
    three_runs: ThreeRuns,
) -> None:
    runs = three_runs.runs
    for done in runs:
        assert done.returncode == 0, done.stderr[-2000:]
        assert done.stderr == ""
        # Piped output is plain text: no colour codes.
        assert "\033[" not in done.stdout
    first = normalised(runs[0].stdout)
    for later in runs[1:]:
        assert normalised(later.stdout).splitlines() == first.splitlines()
    # The 24 MB database (and its folder) went with the demo.
    assert list(three_runs.temp.iterdir()) == []


def test_demo_plays_the_whole_story_in_the_terminal(three_runs: ThreeRuns) -> None:
    done = three_runs.runs[0]
    assert done.returncode == 0, done.stderr[-2000:]
    out = done.stdout
    expected_in_order = [
        "1. Day 0: first run records a baseline",
        "entitywatch baseline recorded",
        "EL: baseline of 2001 entries",
        "2. Day 1, 08:45: a BIS rule is filed on the Public Inspection desk",
        "Entity List rule on public inspection: Additions of Entities to the Entity List",
        # The filing gives its publication date (2023-02-27), not the effective date.
        "Effective date: 2023-02-24, effective on filing (2023-02-24 08:45 ET)",
        "3. Day 2: the rule is published in the Federal Register",
        # Threading is shown by indentation: publication replies under the filing.
        "    │ 📜 Published in the Federal Register: Additions of Entities to the Entity List (88 FR 12170)",
        "    │ Entity List: 13 entries added (China 5, Russia 3, Canada 2, France 1, Luxembourg 1, ...)",
        "    │ Effective date: 2023-02-24",
        # License terms once per group of identical terms, then each entry.
        "    │ applies to the 12 entries below",
        "    │ ➕ CPUNTO Inc.",
        "    │ Canada · Entity List",
        "    │ Address: 5929 Route Transcanadienne Ste 130 St. Laurent, Quebec H4T 1Z6 Canada",
        "    │ China · Entity List",
        "    ↻ the thread's first message, “Entity List rule on public inspection: Additions of"
        " Entities to the Entity List”, now reads: Entity List: 13 entries added (China 5, Russia 3,"
        " Canada 2, France 1, Luxembourg 1, ...)",
        # The sample watchlist's look-alike of a listed entity, in the rule's thread.
        "    │ 🔍 Counterparty AOOK Technologies Limited (id SUPP-2001) may be the newly listed "
        "AOOK Technology Ltd. (Entity List, FR Doc 2023-03929, effective 2023-02-24): match",
        # The watched subsidiary of a listed entity: covered by the affiliates rule.
        "    │ 🏢 Counterparty Orbital Lens Imaging S.A. (id CUST-1005) is now 60 % owned by "
        "listed parties: covered by the affiliates rule",
        "Spacety Co., Ltd. (EL) 60 % direct",
        "    │ [Confirm match] [Not the same party…]",
        "4. Day 2: the press release about the rule (a labelled demo paraphrase)",
        # A press text about this rule: it joins the rule's thread, and says what it is.
        "    │ 📣 Press release: Commerce adds entities in Russia, China, Canada and Europe to the"
        " Entity List for supporting Russia's military (demo paraphrase",
        "5. Day 9: the next CSL release",
        "    │ 📋 Consolidated Screening List updated",
        "The weekly digest",
        # The demo's lists are from 2023: its answers are dated and never clear a name.
        "Screening: the demo's lists are recorded ones (lists as of 2023-02-24",
        "$ /screen Hikvision",
        "HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO., LTD.  🔴 MATCH",
        "Lists as of 2023-02-24 (newest CSL entry)",
        "$ /screen AOOK Technology",
        "$ /screen Siemens Aktiengesellschaft",
        "Screening “Siemens Aktiengesellschaft”: ⚠️ CANNOT CLEAR",
    ]
    position = 0
    for line in expected_in_order:
        found = out.find(line, position)
        assert found >= 0, f"missing (in order): {line!r}"
        position = found
    assert "Traceback" not in done.stderr
    # No Slack ids ("thread 3.000000") and no 2019 press text pretending to be about 2023.
    assert not re.search(r"\d+\.0{6}", out)
    assert "Hikvision" not in out.split("The weekly digest")[0]
    assert ".invalid" not in out
    # Every stage's header comes after the previous stage's last alert line.
    stages = re.split(r"\n▶ \d\. ", out)
    assert len(stages) == 6
    assert out.count("🔍 Counterparty ") == 1  # once, not again when the CSL catches up
    # Slack's emoji shortcodes are drawn as emoji, never printed as ":mag:".
    assert not re.search(r"(?<![\w/:]):[a-z_]+:(?![\w/])", out)


def test_an_empty_screen_at_the_prompt_asks_again_and_quit_ends_the_demo(tmp_path: Path) -> None:
    done = run_demo(tmp_path, demo_env(), stdin="\n/screen\nSpacety\nquit\nnot screened\n")
    assert done.returncode == 0, done.stderr[-2000:]
    # --data-dir keeps the database.
    assert (tmp_path / "demo" / "demo.db").exists()
    after_prompt = done.stdout.split("`quit` or Ctrl-D ends the demo.", 1)[1]
    # The empty line and the bare /screen each ask again; the next name is still screened.
    assert after_prompt.count("▶ Type a company or person name, e.g. Hikvision;") == 2
    assert "$ /screen Spacety" in after_prompt
    assert "Spacety Co., Ltd.  🔴 MATCH" in after_prompt
    assert "not screened" not in after_prompt  # after `quit`, nothing more is read
    assert after_prompt.rstrip().endswith("`entitywatch --help` shows what else there is.")
    assert "▶ Goodbye" in after_prompt


def test_demo_posts_to_slack_when_a_token_and_channel_are_set(
    tmp_path: Path, slack_api: FakeSlackApi
) -> None:
    env = demo_env(
        SLACK_BOT_TOKEN=slack_api.token, SLACK_API_URL=slack_api.base_url, ALERT_CHANNEL="C0DEMO01"
    )
    done = run_demo(tmp_path, env)
    assert done.returncode == 0, done.stderr[-2000:]
    messages = slack_api.messages("C0DEMO01")
    texts = [m["text"] for m in messages]
    assert texts[0] == "entitywatch baseline recorded"
    assert any(
        t.startswith("Entity List rule on public inspection") or t.startswith("Entity List: 13")
        for t in texts
    )
    # The public-inspection parent was updated in place with the published rule's summary.
    # (As in Slack, a parent with replies carries thread_ts equal to its own ts.)
    parent = next(
        m
        for m in messages
        if m["text"].startswith("Entity List: 13") and m.get("thread_ts") in (None, m["ts"])
    )
    replies = [
        m for m in messages if m.get("thread_ts") == parent["ts"] and m["ts"] != parent["ts"]
    ]
    # Publication, the counterparty hit, the subsidiary now covered by the affiliates rule,
    # the press release about the rule, the CSL.
    assert len(replies) == 5
    assert replies[0]["text"].startswith("📜 Published in the Federal Register")
    assert replies[1]["text"].startswith("Counterparty AOOK Technologies Limited (id SUPP-2001)")
    assert replies[2]["text"].startswith("Counterparty Orbital Lens Imaging S.A. (id CUST-1005)")
    assert replies[3]["text"].startswith("📣 Press release: *Commerce adds entities")
    assert replies[4]["text"].startswith("📋 Consolidated Screening List updated")
    assert "── C0DEMO01" not in done.stdout  # alerts went to Slack, not the terminal


def test_ctrl_c_ends_the_demo_and_removes_its_database(tmp_path: Path) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "demo", "--no-input"],
        env=demo_env(TMPDIR=str(temp)), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        seen = ""
        while "▶ 2. " not in seen:
            line = process.stdout.readline()
            assert line, "the demo ended before its second stage"
            seen += line
        assert len(list(temp.iterdir())) == 1  # the database folder, while it runs
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 130
    assert "Traceback" not in err
    assert list(temp.iterdir()) == []

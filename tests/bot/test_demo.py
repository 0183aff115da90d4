"""The README's first command, `entitywatch demo --no-input`, end to end as a process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.fakes.slack_api import FakeSlackApi


def demo_env(**extra: str) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "ALERT_", "DATABASE_"))
    }
    env.update(extra)
    return env


def run_demo(tmp_path: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "demo", "--no-input", "--data-dir", str(tmp_path / "demo")],
        env=env, capture_output=True, text=True, timeout=240, check=False, stdin=subprocess.DEVNULL,
    )  # fmt: skip


def test_demo_plays_the_whole_story_in_the_terminal(tmp_path: Path) -> None:
    done = run_demo(tmp_path, demo_env())
    assert done.returncode == 0, done.stderr[-2000:]
    out = done.stdout
    expected_in_order = [
        "1. Day 0: first run records a baseline",
        "entitywatch baseline recorded",
        "EL: baseline of 2001 entries",
        "2. Day 1, 08:45: a BIS rule is filed on the Public Inspection desk",
        "Entity List rule on public inspection: Additions of Entities to the Entity List",
        # The filing gives its publication date (2023-02-27), not the effective date.
        "Effective date: see rule",
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
        "    ↻ thread",
        # The sample watchlist's look-alike of a listed entity, in the rule's thread.
        "    │ :mag: Counterparty AOOK Technologies Limited (id SUPP-2001) may be the newly listed "
        "AOOK Technology Ltd. (Entity List, FR Doc 2023-03929, effective 2023-02-24): match",
        "4. Day 2: a press release",
        "Press: U.S. Commerce Dept. adds 28 Chinese organizations to its Entity List",
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
    assert (tmp_path / "demo" / "demo.db").exists()
    assert out.count(":mag: Counterparty ") == 1  # once, not again when the CSL catches up


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
    assert len(replies) == 3
    assert replies[0]["text"].startswith("📜 Published in the Federal Register")
    assert replies[1]["text"].startswith("Counterparty AOOK Technologies Limited (id SUPP-2001)")
    assert replies[2]["text"].startswith("📋 Consolidated Screening List updated")
    assert "── C0DEMO01" not in done.stdout  # alerts went to Slack, not the terminal

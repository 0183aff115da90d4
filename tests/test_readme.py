"""The README stays true: its commands parse, its settings are the ones the code reads,
its make targets exist. (The demo itself runs in tests/bot/demo/test_demo.py; the compose file
and the manifests are checked in tests/test_deploy.py.)"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from bot.cli.main import build_parser
from bot.settings import Settings
from watchers.registry import settings_models

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
# Placeholders the README uses, and a value that stands for each.
PLACEHOLDERS = {"NAME": "Hikvision", "PATH_OR_URL": "snapshot.csv", "FILE": "doc.xml", "DIR": "d"}


def readme_commands() -> list[str]:
    inline = re.findall(r"`(entitywatch [^`]+)`", README)
    blocks = re.findall(r"```sh\n(.*?)```", README, flags=re.S)
    in_blocks = [
        line.split("#")[0].strip().removeprefix(".venv/bin/")
        for block in blocks
        for line in block.splitlines()
        if "entitywatch " in line and not line.lstrip().startswith(("#", "docker", "cp ", "export"))
    ]
    return sorted(set(inline + [c for c in in_blocks if c.startswith("entitywatch ")]))


def concrete(command: str) -> list[str]:
    """The command with optional parts dropped and placeholders filled in."""
    text = re.sub(r"\[[^\]]*\]", "", command.replace("\\|", "|"))
    text = text.split(" | ")[0]
    words = shlex.split(text)[1:]
    return [PLACEHOLDERS.get(w, w) for w in words if w != "…"]


@pytest.mark.parametrize("command", readme_commands())
def test_every_readme_command_parses(command: str) -> None:
    args = build_parser().parse_args(concrete(command))
    assert callable(args.handler)


def test_readme_names_every_setting_and_no_other() -> None:
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", README, flags=re.M))
    kinds = {name.upper() for model in settings_models() for name in model.model_fields}
    assert kinds, "the source kinds declare no settings"
    assert documented == {name.upper() for name in Settings.model_fields} | kinds


def test_make_targets_in_the_readme_exist() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z-]+):", makefile, flags=re.M))
    used = set(re.findall(r"\bmake ([a-z-]+)", README))
    assert used and used <= targets


def test_ci_runs_the_readme_test_command() -> None:
    assert "make test" in README
    assert re.search(r"^make test$", (ROOT / ".ci" / "run").read_text(), flags=re.M)

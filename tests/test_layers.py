"""The house's layers: services plan, the Slack layer and the terminal render.

Nothing below `bot/slack` and `bot/cli` may import them (or the composition roots
`bot.app` and `bot.runtime` that wire them), so that no service knows Block Kit and
settings never reach up into what they configure. Read from the source with `ast`, so a
lazy import inside a function counts too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Each lower layer, and the modules it must never import.
UPPER = ("bot.slack", "bot.cli", "bot.demo", "bot.app", "bot.runtime")
LOWER = ["bot/services", "bot/settings.py", "bot/routing.py", "storage", "watchers", "screening"]


def _imports(path: Path) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
    return found


def _files(place: str) -> list[Path]:
    target = ROOT / place
    return [target] if target.is_file() else sorted(target.rglob("*.py"))


@pytest.mark.parametrize("place", LOWER)
def test_lower_layers_do_not_import_the_slack_layer_the_terminal_or_the_roots(place: str) -> None:
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in _files(place)
        for line, module in _imports(path)
        if any(module == upper or module.startswith(upper + ".") for upper in UPPER)
    ]
    assert not wrong, "\n".join(wrong)


def test_the_check_sees_an_upward_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from bot.slack.blocks.alerts import render_action\n")
    assert _imports(bad) == [(2, "bot.slack.blocks.alerts")]

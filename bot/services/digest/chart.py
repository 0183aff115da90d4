"""The digest's chart: actions per list, stacked by kind, as PNG bytes.

Drawn with matplotlib's object API on an Agg canvas: no pyplot, so no global
figure registry to leak figures from a long-running bot and no display needed.
"""

from __future__ import annotations

import io

from bot.services.digest.model import Digest

# Lists drawn; the rest are summed into one "other" bar.
LISTS_SHOWN = 12
# Colour-blind-safe (Okabe-Ito) colours, one per kind.
KINDS = (("added", "#009E73"), ("removed", "#D55E00"), ("modified", "#0072B2"))


def digest_chart_png(digest: Digest) -> bytes | None:
    """A stacked bar chart of actions by list, or None when there were no actions."""
    bars = _bars(digest)
    if not bars:
        return None
    # Imported here, not at the top: matplotlib (with numpy and fontTools) costs seconds of
    # CPU on a busy machine, and every `entitywatch` command imports this module through
    # the digest poster, while only a digest with actions draws.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(max(4.0, 0.8 * len(bars) + 2.0), 3.6), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    labels = [label for label, _ in bars]
    bottom = [0] * len(bars)
    for kind, colour in KINDS:
        heights = [counts[kind] for _, counts in bars]
        axes.bar(labels, heights, bottom=bottom, color=colour, label=kind)
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    axes.set_ylabel("actions")
    axes.set_title(
        f"List actions {digest.since.date().isoformat()} to {digest.until.date().isoformat()}"
    )
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.legend(frameon=False)
    figure.tight_layout()
    out = io.BytesIO()
    # No "Software" stamp: the same digest gives the same bytes.
    figure.savefig(out, format="png", metadata={"Software": None})
    return out.getvalue()


def _bars(digest: Digest) -> list[tuple[str, dict[str, int]]]:
    bars = [
        (t.key, {"added": t.added, "removed": t.removed, "modified": t.modified})
        for t in digest.by_list[:LISTS_SHOWN]
        if t.total
    ]
    rest = digest.by_list[LISTS_SHOWN:]
    if any(t.total for t in rest):
        other = {
            "added": sum(t.added for t in rest),
            "removed": sum(t.removed for t in rest),
            "modified": sum(t.modified for t in rest),
        }
        bars.append(("other", other))
    return bars

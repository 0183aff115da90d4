"""How the renderer marks up a link, bold text and a name: plain terminal text or Slack mrkdwn."""

from __future__ import annotations

from dataclasses import dataclass

from bot.slack.blocks.kit import escape, safe_url

# Longest title kept on one line; a Federal Register title can run to paragraphs.
TITLE_CHARS = 300


def shorten(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, with an ellipsis when cut."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: max(limit - 1, 0)].rstrip() + "…"


@dataclass(frozen=True, slots=True)
class Markup:
    mrkdwn: bool

    def text(self, value: str) -> str:
        """Free text from a source: in mrkdwn, &, < and > would start an entity or a link."""
        return escape(value) if self.mrkdwn else value

    def title(self, value: str) -> str:
        return self.text(shorten(value, TITLE_CHARS))

    def bold(self, value: str) -> str:
        return f"*{value}*" if self.mrkdwn else value

    def link(self, label: str, url: str | None) -> str:
        """`label` (already marked up) pointing at `url`; the terminal shows the URL after it."""
        if not url:
            return label
        if self.mrkdwn:
            if not safe_url(url):
                return label
            # A "|" or ">" in the label would end the link early.
            return f"<{url}|{label.replace('|', '/').replace('&gt;', '›')}>"
        return f"{label} <{url}>"


PLAIN = Markup(mrkdwn=False)
SLACK = Markup(mrkdwn=True)

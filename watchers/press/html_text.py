"""HTML fragments of feed summaries -> plain text.

Feed summaries carry markup (`<p>`, `<a>`, entities); alerts and the
announcement extractor want words. The standard library's tolerant
`HTMLParser` is enough: nothing here renders or follows the markup.
"""

from __future__ import annotations

from html.parser import HTMLParser

# Tags whose content is not prose, and tags that end a line of text.
_SKIPPED = frozenset({"script", "style", "head", "title", "noscript"})
_BREAKS = frozenset({"p", "br", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol"})


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = [""]
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self._skipping += 1
        elif tag in _BREAKS:
            self.lines.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED and self._skipping:
            self._skipping -= 1
        elif tag in _BREAKS:
            self.lines.append("")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.lines[-1] += data


def html_to_text(fragment: str) -> str:
    """Visible text of an HTML fragment: one line per block, spaces collapsed."""
    collector = _TextCollector()
    collector.feed(fragment)
    collector.close()
    lines = (" ".join(line.split()) for line in collector.lines)
    return "\n".join(line for line in lines if line)

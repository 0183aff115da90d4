"""A press-release page (HTML) -> its headline and the text of its body.

Pure. The page's navigation, header, footer and scripts are not the
announcement; the text comes from `<main>` or `<article>` when the page has
one, else from `<body>`.
"""

from __future__ import annotations

from dataclasses import dataclass

from bs4 import BeautifulSoup, Tag

_NOT_PROSE = ("script", "style", "noscript", "nav", "header", "footer", "form", "svg")
_BLOCKS = ("p", "li", "h1", "h2", "h3", "h4", "div", "tr", "br")


@dataclass(frozen=True, slots=True)
class ArticleText:
    headline: str
    body: str  # one line per block of the page


def read_article(data: bytes) -> ArticleText:
    soup = BeautifulSoup(data, "html.parser")
    for node in soup.find_all(_NOT_PROSE):
        node.decompose()
    root = soup.find("main") or soup.find("article") or soup.body or soup
    headline_tag = root.find("h1") if isinstance(root, Tag) else None
    headline = " ".join(headline_tag.get_text(" ").split()) if headline_tag else ""
    for block in root.find_all(_BLOCKS):
        # A newline after each block keeps sentences of two paragraphs apart.
        block.append("\n")
    lines = (" ".join(line.split()) for line in root.get_text("").splitlines())
    return ArticleText(headline=headline, body="\n".join(line for line in lines if line))

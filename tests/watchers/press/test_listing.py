"""HTML news listing and press-release pages -> items and text, on pages of the live shape."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from watchers.press.announcement import extract_announcement
from watchers.press.article import read_article
from watchers.press.errors import ListingError
from watchers.press.listing import parse_listing

SITE = Path(__file__).resolve().parents[2] / "fixtures" / "press" / "site"
BASE = "https://www.bis.gov/news-updates"


def test_listing_items_keyed_by_absolute_link() -> None:
    items = parse_listing((SITE / "news-updates-after.html").read_bytes(), base_url=BASE)
    assert [i.link.rsplit("/", 2)[-2] for i in items] == [
        "press-release",
        "press-release",
        "speeches",
        "press-release",
    ]
    haas = items[0]
    assert haas.link.startswith("https://www.bis.gov/press-release/haas-automation-pay")
    assert haas.title.startswith("Haas Automation to Pay Over $2.5 Million")
    assert haas.published == date(2025, 1, 17)
    assert items[2].label == "Speech"
    # the filter form, the nav and the pagination links are not items
    assert all("page=" not in i.link and i.link != BASE for i in items)


def test_a_date_in_the_text_when_the_attribute_is_not_a_date() -> None:
    page = (
        b'<html><body><ul><li data-date="yes"><a href="/press-release/x">'
        b'<h3>Title</h3></a><span class="date">March 3, 2025</span></li></ul></body></html>'
    )
    (item,) = parse_listing(page, base_url=BASE)
    assert item.published == date(2025, 3, 3)


def test_a_changed_layout_still_gives_the_release_links() -> None:
    page = (
        b"<html><body><div class='cards'>"
        b"<div><a href='/press-release/commerce-adds-two'>Commerce Adds Two Entities</a></div>"
        b"<div><a href='/about'>About BIS</a></div>"
        b"<div><a href='/press-release/commerce-adds-two'>Read more</a></div>"
        b"</div></body></html>"
    )
    items = parse_listing(page, base_url=BASE)
    assert [(i.link, i.title) for i in items] == [
        ("https://www.bis.gov/press-release/commerce-adds-two", "Commerce Adds Two Entities")
    ]


@pytest.mark.parametrize(
    "page",
    [
        b"",
        b"<html><body><p>Access denied</p></body></html>",
        b'{"results": []}',
        b"<html><body><ul><li data-date='2025-01-01'>no link here</li></ul></body></html>",
    ],
    ids=["empty", "no-items", "json", "item-without-link"],
)
def test_a_page_without_items_is_an_error_not_an_empty_listing(page: bytes) -> None:
    with pytest.raises(ListingError, match=r"press\.listing"):
        parse_listing(page, base_url=BASE)


def test_article_text_leaves_out_navigation_and_footer() -> None:
    article = read_article((SITE / "press-release-eleven.html").read_bytes())
    assert article.headline.startswith("Commerce Adds 11 Entities to the Entity List")
    assert "News & Updates" not in article.body and "Constitution Ave" not in article.body
    assert "dataLayer" not in article.body
    assert "The 11 entities are under the destinations of" in article.body
    found = extract_announcement(article.body)
    assert found.is_list_action and found.countries == ("CN", "RU", "AE")


def test_a_penalty_page_is_kept_but_not_a_list_action() -> None:
    article = read_article((SITE / "press-release-haas.html").read_bytes())
    found = extract_announcement(article.body)
    assert "added to the Entity List" in article.body
    assert not found.is_list_action and found.category == "enforcement"

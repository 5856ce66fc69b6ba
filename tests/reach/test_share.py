"""Readers' share links on the article page: plain links to the short address, no script."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_the_article_page_links_to_each_service_with_the_short_address(client, settings):
    settings.NEWSROOM_SITE_URL = "https://example.sy"
    article = make_article("<b>سوريا</b> & الجوار")
    page = client.get(article.get_absolute_url()).content.decode()
    short = f"https://example.sy/a/{article.pk}"
    links = {
        name: unescape(href)
        for name, href in re.findall(r'class="share-to-(\w+)" href="([^"]+)"', page)
    }
    assert set(links) == {"telegram", "whatsapp", "x", "facebook"}
    queries = {name: parse_qs(urlsplit(href).query) for name, href in links.items()}
    assert urlsplit(links["telegram"]).netloc == "t.me"
    assert queries["telegram"] == {"url": [short], "text": ["<b>سوريا</b> & الجوار"]}
    assert queries["whatsapp"] == {"text": [f"<b>سوريا</b> & الجوار {short}"]}
    assert queries["x"] == {"text": ["<b>سوريا</b> & الجوار"], "url": [short]}
    assert queries["facebook"] == {"u": [short]}
    assert "شارك على تيليغرام" in page and 'aria-label="شارك الخبر"' in page
    assert "<b>سوريا</b>" not in page  # the headline is escaped on the page
    # The links are plain: no script from any of them on our page.
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', page)
    assert all(src.startswith("/") for src in scripts), scripts


def test_a_draft_has_no_share_links(admin_client):
    article = make_article("مسودة", published=False)
    answer = admin_client.get(article.get_absolute_url())
    assert answer.status_code == 200  # the staff preview
    assert "share-to-telegram" not in answer.content.decode()

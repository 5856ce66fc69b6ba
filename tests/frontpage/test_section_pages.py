"""A section's page gets its own lead and hand-picked slots above its automatic list: drafted,
published and cached like the home page's, on the list's first page only."""

from datetime import timedelta

import pytest
from django.test import Client

from frontpage import services
from frontpage.models import Layout
from tests.factories import make_article, make_section
from tests.frontpage.conftest import build

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.NEWSROOM_PAGE_CACHE_ENABLED = True


def test_section_lead_and_picks_above_the_list():
    sport = make_section("رياضة")
    other = make_section("ثقافة")
    for n in range(1, 15):
        make_article(f"مباراة {n}", section=sport, ago=timedelta(hours=n))
    guest = make_article("معرض من قسم آخر", section=other)
    client = Client()
    first_page = sport.get_absolute_url()
    assert 'class="section-front"' not in client.get(first_page).content.decode()
    assert client.get(first_page)["X-Page-Cache"] == "hit"

    draft = build(
        services.current_draft(sport.pk),
        {"kind": "lead", "size": 1},
        {"kind": "picked", "title_ar": "مختارات القسم", "size": 2, "slots": [guest]},
    )
    assert draft.section_id == sport.pk
    assert client.get(first_page)["X-Page-Cache"] == "hit"  # a draft changes nothing
    services.publish(draft=draft)
    home_draft = services.current_draft()  # the home page's own draft is another layout
    assert home_draft.section_id is None and home_draft.pk != draft.pk

    response = client.get(first_page)
    assert response["X-Page-Cache"] == "miss"
    content = response.content.decode()
    front = content[content.index('class="section-front"') : content.index("cards-list")]
    assert "مباراة 1<" in front  # the section's latest as its lead
    assert "مختارات القسم" in front and "معرض من قسم آخر" in front and "مباراة 2<" in front
    assert 'class="section-front"' not in client.get(f"{first_page}?page=2").content.decode()
    assert "مختارات القسم" not in client.get("/ar/").content.decode()
    assert Layout.objects.filter(status="live").count() == 1

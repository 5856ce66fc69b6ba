"""Embeds and galleries in the article resource of the API and in its OpenAPI schema: the
facade's fields, never the provider's HTML; cached answers follow an edited embed."""

import json

import pytest
from django.urls import reverse

from api.openapi import schema
from embeds.cache import resolving_links
from embeds.models import Embed
from tests.embeds.test_galleries import make_gallery
from tests.factories import make_article

pytestmark = pytest.mark.django_db

YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


def test_the_article_resource_lists_embeds_and_galleries(
    client, providers, django_capture_on_commit_callbacks
):
    gallery = make_gallery(count=2)
    lead = make_gallery("بالصور: الصدارة", count=1)
    body = (
        f"<p>https://t.me/newschannel/4521</p><p>{gallery.shortcode}</p><p>{YOUTUBE}</p>"
        "<p>https://www.instagram.com/p/C1a2b3/</p>"
    )
    with resolving_links(), django_capture_on_commit_callbacks(execute=True):
        article = make_article("خبر بالوسائط", body_ar=body)
    lead.lead_of = article
    lead.save()
    url = reverse("api:article-detail", kwargs={"pk": article.pk})
    data = json.loads(client.get(url).content)
    assert [embed["provider"] for embed in data["embeds"]] == ["Telegram", "YouTube", "Instagram"]
    youtube = data["embeds"][1]
    assert youtube["player_url"] == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    assert youtube["status"] == "ok" and youtube["kind"] == "video"
    assert youtube["thumbnail"][0]["jpeg"].startswith("http://testserver/media/renditions/")
    instagram = data["embeds"][2]
    assert instagram["status"] == "card" and instagram["player_url"] is None
    assert "html" not in json.dumps(data["embeds"])
    assert [image["alt"] for image in data["galleries"][0]["images"]] == [
        "ثلج يغطي الحي رقم 1", "ثلج يغطي الحي رقم 0"
    ]  # fmt: skip
    assert data["lead_gallery"]["title"] == "بالصور: الصدارة"
    # The answer is cached with the embeds' tags: an edited card shows at once.
    embed = Embed.objects.get(url=YOUTUBE)
    embed.title = "عنوان صححه المحرر"
    embed.save()
    assert json.loads(client.get(url).content)["embeds"][1]["title"] == "عنوان صححه المحرر"


def test_the_schema_describes_them():
    components = schema("http://testserver")["components"]["schemas"]
    article = components["Article"]["allOf"][1]["properties"]
    assert {"embeds", "galleries", "lead_gallery"} <= set(article)
    assert components["Embed"]["properties"]["status"]["enum"] == ["ok", "card"]
    assert "focal_point" in components["Gallery"]["properties"]["images"]["items"]["properties"]

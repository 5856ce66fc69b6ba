"""The desk: an editor saves an article whose body has a YouTube link and a Facebook link
(no app token); the page after the save says in Arabic why the Facebook link is a card, and
the list of embeds says it too."""

import re

import pytest
from django.urls import reverse

from embeds.models import Embed
from tests.articles.desk_helpers import article_admin_url, form_data, make_staff
from tests.factories import make_article

pytestmark = pytest.mark.django_db(transaction=True)

FACEBOOK = "https://www.facebook.com/ministry/posts/pfbid02abc"


def test_the_editor_learns_why_a_link_became_a_card(client, providers):
    editor = make_staff("المحررون", username="desk-editor")
    article = make_article("مؤتمر", published=False)
    client.force_login(editor)
    url = article_admin_url("change", article.pk)
    data = form_data(client.get(url).content.decode())
    data["body_ar"] = (
        "<p>قال الوزير:</p><p>https://youtu.be/dQw4w9WgXcQ</p>"
        f'<p><a href="{FACEBOOK}">{FACEBOOK}</a></p>'
    )
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert f"سيُعرض الرابط {FACEBOOK} بطاقةً" in page
    assert "NEWSROOM_OEMBED_FACEBOOK_TOKEN" in page
    messages = re.search(r'<ul class="messagelist">.*?</ul>', page, re.S).group(0)
    assert messages.count("سيُعرض الرابط") == 1 and "youtu.be" not in messages
    assert Embed.objects.get(url="https://youtu.be/dQw4w9WgXcQ").status == "ok"

    listing = client.get(reverse("admin:embeds_embed_changelist")).content.decode()
    assert "رمز تطبيق" in listing
    # The embed's own page: its address and its title under two different names.
    embed = Embed.objects.get(url="https://youtu.be/dQw4w9WgXcQ")
    change = client.get(reverse("admin:embeds_embed_change", args=[embed.pk])).content.decode()
    labels = re.findall(r"<label[^>]*>([^<]+):</label>", change)
    assert "عنوان الرابط" in labels and len(labels) == len(set(labels)), labels

    # Saving again asks nobody and says nothing more.
    asked = len(providers.seen)
    data = form_data(client.get(url).content.decode())
    page = client.post(url, data, follow=True).content.decode()
    assert "سيُعرض الرابط" not in page
    assert len(providers.seen) == asked


def test_asking_again_says_what_came_of_it(client, providers):
    """It said «سُئل عن محتوى مضمَّن واحد من جديد» for a Facebook link nobody could be asked
    about (no token), starting with a capitalised «Https://…»."""
    from embeds import services

    client.force_login(make_staff("المحررون", username="desk-editor"))
    youtube, facebook = (
        services.resolve(url) for url in ("https://youtu.be/dQw4w9WgXcQ", FACEBOOK)
    )
    changelist = reverse("admin:embeds_embed_changelist")
    listing = client.get(changelist).content.decode()
    assert f'<bdi dir="ltr" class="embed-address">{FACEBOOK}</bdi>' in listing
    page = client.post(
        changelist,
        {"action": "fetch_again", "_selected_action": [youtube.pk, facebook.pk]},
        follow=True,
    ).content.decode()
    assert "يُعرض محتوى مضمَّن واحد بمشغّل مزوّده أو منشوره." in page
    assert f'ما زال بطاقة رابط: <bdi dir="ltr">{FACEBOOK}</bdi>: ' in page
    messages = re.search(r'<ul class="messagelist">.*?</ul>', page, re.S).group(0)
    assert "سُئل" not in messages and "Https" not in messages

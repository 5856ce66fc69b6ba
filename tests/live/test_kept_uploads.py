"""The live panel's form without JavaScript: an entry refused (no text) keeps the image
chosen with it, and the next post uses it."""

from pathlib import Path

import pytest
from django.urls import reverse
from PIL import Image

from live import services
from tests.articles.desk_helpers import form_data, make_staff
from tests.factories import image_upload, make_article

pytestmark = pytest.mark.django_db


def test_a_refused_entry_keeps_its_image_for_the_next_post(
    client, settings, django_capture_on_commit_callbacks
):
    client.force_login(make_staff("المحررون", username="editor"))
    article = make_article()
    coverage = services.start_coverage(article=article)
    url = reverse("admin:live_post", args=[article.pk])

    response = client.post(url, {"body": "", "image": image_upload("وفد.jpg")})
    assert response.status_code == 400
    text = response.content.decode()
    assert "الصورة التي اخترتها محفوظة: <bdi>وفد.jpg</bdi>" in text
    data = form_data(
        text.replace('class="live-desk-form"', 'id="live" class="live-desk-form"'), "live"
    )
    assert data["image__kept"]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {**data, "body": "وصل الوفد إلى القاعة.", "image_alt": "الوفد في القاعة"}
        )
    assert response.status_code == 302
    entry = coverage.entries.get()
    assert entry.image and entry.image_renditions
    with Image.open(Path(settings.MEDIA_ROOT) / entry.image.name) as image:
        assert image.size == (800, 600)
    assert not list((Path(settings.MEDIA_ROOT) / "pending").rglob("*.jpg"))

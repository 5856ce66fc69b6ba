import re

import pytest

from tests.factories import make_article

pytestmark = pytest.mark.django_db

EXTERNAL = re.compile(r'(?:src|href)="(?:https?:)?//', re.IGNORECASE)


def test_admin_is_arabic_rtl_and_loads_nothing_from_a_cdn(admin_client):
    article = make_article("مقال في لوحة التحرير")
    for path in (
        "/ar/admin/",
        "/ar/admin/articles/article/",
        f"/ar/admin/articles/article/{article.pk}/change/",
        "/ar/admin/articles/article/add/",
    ):
        response = admin_client.get(path)
        content = response.content.decode()
        assert response.status_code == 200, path
        assert 'lang="ar" dir="rtl"' in content, path
        assert not EXTERNAL.search(content), (path, EXTERNAL.findall(content))

import pytest
from django.urls import reverse
from django.utils import translation

from archive.models import ImportedArticle, LegacyPath
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_admin_lists_import_records_and_old_addresses(admin_client):
    article = make_article("خبر مستورد")
    ImportedArticle.objects.create(source="page", source_id="x1", article=article, checksum="0")
    LegacyPath.objects.create(path="/2017/04/old", article=article)
    with translation.override("ar"):
        for name in (
            "admin:archive_importedarticle_changelist",
            "admin:archive_legacypath_changelist",
        ):
            response = admin_client.get(reverse(name))
            assert response.status_code == 200
            assert "خبر مستورد" in response.content.decode()

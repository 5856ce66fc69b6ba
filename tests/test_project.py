"""Project-wide checks: migrations, the Arabic catalogue, static assets."""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

BASE_DIR = Path(settings.BASE_DIR)


@pytest.mark.django_db
def test_no_missing_migrations():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_database_is_postgresql():
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def test_arabic_catalogue_is_compiled_and_current():
    po = (BASE_DIR / "locale/ar/LC_MESSAGES/django.po").read_text()
    with open(BASE_DIR / "locale/ar/LC_MESSAGES/django.mo", "rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    entries = re.findall(r'^msgid "(.+)"\nmsgstr "(.+)"$', po, flags=re.MULTILINE)
    assert len(entries) > 20
    for msgid, msgstr in entries:
        assert catalogue.gettext(msgid.replace('\\"', '"')) == msgstr.replace('\\"', '"'), msgid


def test_arabic_strings_load():
    with translation.override("ar"):
        assert translation.gettext("Write a comment") == "اكتب تعليق"
        assert translation.gettext("Page not found") == "الصفحة غير موجودة"


def test_no_third_party_cdn_assets():
    pattern = re.compile(r"(src|href)=\"(https?:)?//", re.IGNORECASE)
    for path in list((BASE_DIR / "templates").rglob("*.html")):
        assert not pattern.search(path.read_text()), path
    for path in (BASE_DIR / "static").rglob("*.css"):
        text = path.read_text()
        assert "url(http" not in text and "url(//" not in text and "@import" not in text, path

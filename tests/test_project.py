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


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_arabic_catalogue_is_compiled_and_current(domain, tmp_path):
    """The .po has no duplicate or broken entry, and the committed .mo says what it says
    (a merge that rebuilds one and not the other shows here, not as English in the desk)."""
    import shutil
    import subprocess
    from pathlib import Path

    if shutil.which("msgfmt") is None:
        pytest.skip("msgfmt (GNU gettext) is missing: apt-get install gettext")
    folder = Path(__file__).resolve().parent.parent / "locale" / "ar" / "LC_MESSAGES"
    fresh = tmp_path / f"{domain}.mo"
    subprocess.run(
        ["msgfmt", "--check-format", "-o", fresh, folder / f"{domain}.po"],
        check=True,
        capture_output=True,
    )
    with open(fresh, "rb") as made, open(folder / f"{domain}.mo", "rb") as committed:
        catalogue = gettext.GNUTranslations(committed)._catalog
        assert catalogue == gettext.GNUTranslations(made)._catalog
    assert len(catalogue) > 20

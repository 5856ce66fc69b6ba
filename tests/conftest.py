import pytest


@pytest.fixture(autouse=True)
def _isolated_media_and_static(settings, tmp_path):
    """Uploads go to a temporary folder; static files need no collectstatic manifest."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _arabic_by_default():
    """Outside a request the test process speaks the site's default language, Arabic."""
    from django.utils import translation

    with translation.override("ar"):
        yield


@pytest.fixture(autouse=True)
def _fresh_page_cache(settings, tmp_path):
    """Each test starts with an empty cache of its own (pages and tag versions)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": str(tmp_path),
        }
    }

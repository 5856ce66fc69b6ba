import pytest


def pytest_configure(config):
    """WhiteNoise warns on every request while STATIC_ROOT does not exist (a fresh clone has
    run no collectstatic); tests serve static files from the apps, so an empty folder will do."""
    from django.conf import settings

    settings.STATIC_ROOT.mkdir(exist_ok=True)


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
def _no_rate_limits_unless_asked(settings):
    """Rate limits count per client address, and every test client is 127.0.0.1: they are
    off by default so unrelated tests never meet a 429. tests/security turns them on."""

    settings.NEWSROOM_RATE_LIMIT_ENABLED = False


@pytest.fixture(autouse=True)
def _no_clock_skew_margin(settings):
    """Pages and fragments rendered within a second of a write are not kept (a margin for
    clocks of several servers). Fixtures write just before each test's first request, so with
    the margin what is kept would depend on how fast this machine runs the test."""
    settings.NEWSROOM_PAGE_CACHE_SKEW_SECONDS = 0


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (LocMemCache lives as long as the process)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fresh_page_cache(settings, tmp_path):
    """Each test starts with an empty cache of its own (pages and tag versions)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": str(tmp_path),
        }
    }


@pytest.fixture(autouse=True)
def _second_factor_not_required_unless_asked(settings):
    """Two-factor sign-in is required of editors and admins by default (NEWSROOM_REQUIRE_2FA);
    tests about other things sign in with the password alone (force_login, the login form).
    tests/accounts turns the requirement on, as production has it (accounts/conftest.py).
    An account that has set up an authenticator is asked for its code either way."""
    settings.NEWSROOM_REQUIRE_2FA = False


@pytest.fixture(autouse=True)
def _no_oembed_provider_outside(settings):
    """Only loopback: a test that saves a provider's link without the loopback provider server
    (tests/embeds/conftest.py) is refused at once by a closed port, never sent outside."""
    settings.NEWSROOM_OEMBED_ENDPOINTS = dict.fromkeys(
        settings.NEWSROOM_OEMBED_ENDPOINTS, "http://127.0.0.1:9/oembed"
    )

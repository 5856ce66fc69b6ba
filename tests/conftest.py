from pathlib import Path

import pytest

# Tests that start a whole stack of their own run on one xdist worker (`make test` runs
# `-n 2 --dist loadgroup`): one cluster of engines per session, not one per worker; the served
# stack's fixed database (serve_test_newsroom) used by one worker at a time; one redis-server;
# the demo newsroom loaded once for its module (tests/demo/test_load_demo.py).
# Everything else spreads over the workers test by test, each worker with its own test database
# (test_newsroom_gw0, …: pytest-django adds the worker's name; copies of one template,
# tests/template_db.py) and Chromium.
ONE_WORKER_GROUPS = {
    "tests/cluster/": "cluster",
    "tests/deploy/test_serve.py": "served-stack",
    "tests/deploy/test_client_address.py": "served-stack",  # the same stack (conftest.py)
    "tests/articles/test_page_cache_redis.py": "redis-server",
    "tests/demo/test_load_demo.py": "demo-loaded-once",  # one load_demo for the module
}


def one_worker_group(nodeid: str) -> str | None:
    path = nodeid.split("::", 1)[0]
    for prefix, group in ONE_WORKER_GROUPS.items():
        if path.startswith(prefix):
            return group
    return None


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """``-n N`` (``--dist load``) and ``--dist loadgroup`` keep ONE_WORKER_GROUPS on one worker
    each. (xdist's own xdist_group mark renames node ids, which pytest 9 no longer lets it do:
    its groups would be lost.)"""
    if config.getvalue("dist") not in {"load", "loadgroup"}:
        return None
    from xdist.scheduler import LoadGroupScheduling

    class GroupedByPath(LoadGroupScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return one_worker_group(nodeid) or super()._split_scope(nodeid)

    return GroupedByPath(config, log)


def pytest_configure(config):
    """Tests serve static files from the apps (the live server's finders), so STATIC_ROOT is
    an empty folder of the session's own: WhiteNoise warns on every request while it does
    not exist, and each test client (a new handler, new middleware) had WhiteNoise stat every
    file of the project's collected staticfiles/ (735 files and their compressed copies, once
    `make run` or a served-stack test had collected them): a third of the suite's time in
    Django's test client went there."""
    import tempfile

    from django.conf import settings

    settings.STATIC_ROOT = Path(tempfile.mkdtemp(prefix="newsroom-test-static-"))
    # Django's own advice for test suites: production's PBKDF2 (a million rounds, a third of a
    # second) for every editor a fixture creates or signs in cost the suite minutes. Hashes
    # made with it (a served stack's seeded editors) still verify: it stays in the list.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        *settings.PASSWORD_HASHERS,
    ]
    # The test databases' commits do not wait for the disk (PostgreSQL's synchronous_commit,
    # the docs' advice for throwaway data): a browser test commits every request and every
    # flush, and each waited for an fsync. What a commit makes visible, and when, is the same;
    # only a crash of the machine could lose the last ones. The stacks the tests start (make
    # serve's, the cluster) keep production's settings.
    for database in settings.DATABASES.values():
        options = database.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c synchronous_commit=off".strip()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, django_db_blocker):
    """Each worker's test database is a copy of one migrated template (tests/template_db.py)."""
    from tests.template_db import use_template

    with django_db_blocker.unblock():
        use_template()


@pytest.fixture(scope="session")
def live_server(django_db_setup, live_server):
    """pytest-django's live server, started after the test database is made and so stopped
    before it is dropped. Started before it (a session whose first test is a browser test),
    it was stopped after: connections still open in its threads made DROP DATABASE wait
    PostgreSQL's 5 s for other sessions and then fail (a warning; the database left behind)."""
    return live_server


@pytest.fixture(scope="session", autouse=True)
def _flush_by_delete():
    """Transactional and browser tests empty every table after each test (Django's flush):
    PostgreSQL's TRUNCATE of eighty tables makes new files for each table and index, 0.35 s
    a flush, while DELETE of the few rows a test wrote takes 0.03 s. Django's foreign keys
    are DEFERRABLE INITIALLY DEFERRED, so the order of the DELETEs does not matter; reset
    sequences and CASCADE keep Django's TRUNCATE. Content types and permissions are kept:
    the flush's post_migrate makes exactly the same rows again (no test makes its own), and
    finding them there halves its time. Test databases only."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    KEPT = {"django_content_type", "auth_permission"}
    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade or not tables:
            return truncate(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        deletes = [
            f"DELETE FROM {self.quote_name(table)};" for table in tables if table not in KEPT
        ]
        return ["SET CONSTRAINTS ALL DEFERRED;", *deletes]

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = truncate


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


def pytest_unconfigure(config):
    import shutil

    from django.conf import settings

    if Path(settings.STATIC_ROOT).name.startswith("newsroom-test-static-"):
        shutil.rmtree(settings.STATIC_ROOT, ignore_errors=True)

"""Settings for the newsroom CMS, read from environment variables with safe defaults.

Every knob is an environment variable (see README.md, "Configuration"). Nothing here
needs a server beyond PostgreSQL, and even that is embedded when DATABASE_URL is unset.
"""

import math
import os
import secrets
import warnings
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from newsroom.database import database_settings, parse_database_url
from uploads.storage import s3_storage

BASE_DIR = Path(__file__).resolve().parent.parent
LOCAL_DIR = BASE_DIR / ".local"  # git-ignored: generated secret key, admin password


_TRUE = {"1", "true", "yes", "on"}


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in _TRUE


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name, "").strip()
    return float(value) if value else default


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def local_secret_key() -> str:
    """A SECRET_KEY generated once and kept in .local/ when the environment gives none."""
    path = LOCAL_DIR / "secret_key"
    if not path.exists():
        LOCAL_DIR.mkdir(exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def env_required(name: str) -> str:
    """A variable production cannot run without: a missing one stops the process loudly."""
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} must be set when NEWSROOM_ENV=production")
    return value


# CORE

# "development" (default: plain http on 127.0.0.1, generated secret key, embedded database)
# or "production" (HTTPS only, every secret from the environment; `check --deploy` is clean).
NEWSROOM_ENV = os.environ.get("NEWSROOM_ENV", "development").strip().lower()
if NEWSROOM_ENV not in {"development", "production"}:
    raise ImproperlyConfigured("NEWSROOM_ENV must be 'development' or 'production'")
PRODUCTION = NEWSROOM_ENV == "production"

DEBUG = env_bool("DJANGO_DEBUG", False)
if PRODUCTION:
    if DEBUG:
        raise ImproperlyConfigured("DJANGO_DEBUG must be off when NEWSROOM_ENV=production")
    SECRET_KEY = env_required("DJANGO_SECRET_KEY")
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "") or [env_required("DJANGO_ALLOWED_HOSTS")]
    env_required("DATABASE_URL")  # never the embedded development server in production
else:
    SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or local_secret_key()
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")
SITE_NAME = os.environ.get("NEWSROOM_SITE_NAME", "الماسة السورية")
# The home page's meta description; empty: a sentence naming the site, in the page's language.
NEWSROOM_SITE_DESCRIPTION = os.environ.get("NEWSROOM_SITE_DESCRIPTION", "").strip()
SITE_ID = 1
# Origin of absolute links (canonical, feeds, sitemaps, share links), e.g. https://example.sy.
# Empty: taken from each request's own scheme and host.
NEWSROOM_SITE_URL = os.environ.get("NEWSROOM_SITE_URL", "").strip().rstrip("/")

INSTALLED_APPS = [
    "modeltranslation",  # before django.contrib.admin
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django_comments_xtd",
    "django_comments",
    "simple_history",
    "django_prose_editor",
    "accounts.apps.LoginLockoutsConfig",  # django-axes, with a translated name
    "newsroom",
    "caching",  # the page cache, fragments, cache backends and tags
    "uploads",  # image uploads, renditions, kept uploads, storage
    "ops",  # periodic jobs, backups, health, metrics, replicas and the database router
    "articles",
    "pages",
    "counters",
    "discovery",
    "comments",
    "archive",
    "redirects",  # after articles, pages and archive: their old addresses
    "demo",
    "live",
    "desk",  # after articles (and live): re-registers the article admin; accounts extends it
    "frontpage",  # the editors' front page: plugs its layout into the home view
    "django_otp",
    "accounts.apps.AuthenticatorAppsConfig",  # django_otp.plugins.otp_totp, named in Arabic
    "accounts.apps.RecoveryCodesConfig",  # django_otp.plugins.otp_static, named in Arabic
    "accounts",  # after articles and newsroom: its admin extends theirs
    "wires",  # the desk's intake: agency wires and the day's budget
    "api",
    "digests",
    "reach",
    "embeds",
]

MIDDLEWARE = [
    "newsroom.middleware.RequestLogMiddleware",  # first: request id, timing, one JSON line
    "newsroom.client.ClientAddressMiddleware",  # watches for requests without an address
    "django.middleware.security.SecurityMiddleware",
    "newsroom.middleware.SecurityHeadersMiddleware",  # CSP, Permissions-Policy, CORP/COOP
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Old addresses (desk redirects, slug history, the archive's paths): sees the final 404s,
    # one query then, none otherwise.
    "redirects.middleware.OldAddressMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified()
    "accounts.middleware.DeskAccountsMiddleware",  # second-factor gate, sessions list
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "newsroom.ratelimit.RateLimitMiddleware",  # NEWSROOM_RATE_LIMITS by URL name
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "newsroom.urls"
# The admin's path under the language prefix; a less guessable one cuts bot noise.
NEWSROOM_ADMIN_URL = os.environ.get("NEWSROOM_ADMIN_URL", "admin/").strip("/") + "/"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "newsroom.context_processors.site",
            ],
            # {% url %} with its reversals remembered (newsroom/templatetags/kept_urls.py)
            "builtins": ["newsroom.templatetags.kept_urls"],
        },
    },
]

# DATABASES

DATABASES = {"default": database_settings(BASE_DIR)}
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)
# A connection broken by a restart is replaced ("SELECT 1" before a request's first query).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env_bool("DATABASE_CONN_HEALTH_CHECKS", True)
# Fail fast while PostgreSQL is away (the page says 503) and never let one query hog a worker.
# The statement timeout is per session: 0 turns it off (e.g. for a long maintenance command).
NEWSROOM_DB_CONNECT_TIMEOUT = env_int("NEWSROOM_DB_CONNECT_TIMEOUT", 5)
NEWSROOM_DB_STATEMENT_TIMEOUT_MS = env_int("NEWSROOM_DB_STATEMENT_TIMEOUT_MS", 30_000)
_db_options = DATABASES["default"].setdefault("OPTIONS", {})
_db_options.setdefault("connect_timeout", NEWSROOM_DB_CONNECT_TIMEOUT)
# Parameters bound by the server, and a statement run twice on a connection kept prepared
# there (psycopg's prepare_threshold): PostgreSQL then plans it once per connection, not per
# request. Planning was most of what a page's queries cost it (the article's own query: 1.2 ms
# to plan, 0.5 ms to run). A statement of several commands with parameters needs client-side
# binding: newsroom.database.client_side_cursor (the view counter's).
_db_options.setdefault("server_side_binding", env_bool("NEWSROOM_DB_SERVER_SIDE_BINDING", True))
if isinstance(_db_options["server_side_binding"], str):  # from DATABASE_URL's query string
    _db_options["server_side_binding"] = _db_options["server_side_binding"].strip().lower() in _TRUE
if _db_options["server_side_binding"]:
    _db_options.setdefault("prepare_threshold", env_int("NEWSROOM_DB_PREPARE_THRESHOLD", 2))
_db_options["options"] = " ".join(
    part
    for part in (
        _db_options.get("options", ""),
        f"-c statement_timeout={NEWSROOM_DB_STATEMENT_TIMEOUT_MS}",
    )
    if part
)
# Maintenance jobs (refresh_search_terms, purge_view_readers, backup, import_archive) set
# their own limit instead (ops/maintenance.py): 30 minutes, for one batch at most.
NEWSROOM_JOB_STATEMENT_TIMEOUT_MS = env_int("NEWSROOM_JOB_STATEMENT_TIMEOUT_MS", 30 * 60_000)
DATABASES["default"]["TEST"] = {"NAME": "test_" + DATABASES["default"]["NAME"]}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Streaming replicas (comma-separated URLs): anonymous readers' pages read from them, the rest
# from the primary (ops/routers.py). Unset: one database, no router.
NEWSROOM_REPLICA_ALIASES = []
for _number, _url in enumerate(env_list("DATABASE_REPLICA_URLS", ""), start=1):
    _replica = parse_database_url(_url)
    for _key in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS"):
        _replica[_key] = DATABASES["default"][_key]
    _replica["OPTIONS"] = {**DATABASES["default"]["OPTIONS"], **_replica["OPTIONS"]}
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES[f"replica{_number}"] = _replica
    NEWSROOM_REPLICA_ALIASES.append(f"replica{_number}")
# A replica replaying more than this many seconds behind the primary is skipped.
NEWSROOM_REPLICA_MAX_LAG_S = env_float("NEWSROOM_REPLICA_MAX_LAG_S", 5.0)
# How often each process looks at each replica (up, and its lag).
NEWSROOM_REPLICA_CHECK_SECONDS = env_float("NEWSROOM_REPLICA_CHECK_SECONDS", 2.0)
NEWSROOM_REPLICA_CONNECT_TIMEOUT = env_int("NEWSROOM_REPLICA_CONNECT_TIMEOUT", 1)
# After a request that wrote, that reader reads the primary this long (read-your-writes).
NEWSROOM_READ_PRIMARY_SECONDS = env_int("NEWSROOM_READ_PRIMARY_SECONDS", 5)
DATABASE_ROUTERS = ["ops.routers.PrimaryReplicaRouter"] if NEWSROOM_REPLICA_ALIASES else []
if NEWSROOM_REPLICA_ALIASES:  # right after the request log: a retry on the primary is one request
    MIDDLEWARE.insert(1, "ops.routers.ReplicaRoutingMiddleware")

# Periodic jobs: management command → period in seconds. `manage.py run_jobs` beside each app
# server runs each once per period across all of them (ops/jobs.py); no cron.
NEWSROOM_PERIODIC_JOBS = {
    "purge_view_readers": env_int("NEWSROOM_JOB_PURGE_VIEW_READERS_SECONDS", 600),
    "refresh_search_terms": env_int("NEWSROOM_JOB_REFRESH_SEARCH_TERMS_SECONDS", 86_400),
    "purge_kept_uploads": env_int("NEWSROOM_JOB_PURGE_KEPT_UPLOADS_SECONDS", 3_600),
    "poll_wires": env_int("NEWSROOM_JOB_POLL_WIRES_SECONDS", 60),  # each feed: its own interval
    "purge_wires": env_int("NEWSROOM_JOB_PURGE_WIRES_SECONDS", 86_400),
}
NEWSROOM_JOBS_TICK_SECONDS = env_float("NEWSROOM_JOBS_TICK_SECONDS", 30.0)
# Commands every runner runs at every pass, sharing their work out themselves (SKIP LOCKED).
NEWSROOM_EVERY_PASS_JOBS = env_list("NEWSROOM_EVERY_PASS_JOBS", "send_deliveries")

# Off-site channels (reach/): the Telegram Bot API's address (a self-hosted Bot API server,
# or the tests' loopback one), the bot's token (environment only), the wait for an answer.
NEWSROOM_TELEGRAM_API_URL = os.environ.get(
    "NEWSROOM_TELEGRAM_API_URL", "https://api.telegram.org"
).rstrip("/")
NEWSROOM_TELEGRAM_BOT_TOKEN = os.environ.get("NEWSROOM_TELEGRAM_BOT_TOKEN", "").strip()
NEWSROOM_TELEGRAM_TIMEOUT = env_float("NEWSROOM_TELEGRAM_TIMEOUT", 10.0)
# A delivery "being sent" longer than this had its runner die (longer than the timeout).
NEWSROOM_REACH_SENDING_TIMEOUT = env_int("NEWSROOM_REACH_SENDING_TIMEOUT", 120)
# Only articles that went live within these hours are posted (an imported archive is not);
# those with nothing owed yet are looked at at every pass (scheduled ones whose time came).
NEWSROOM_REACH_SWEEP_HOURS = env_int("NEWSROOM_REACH_SWEEP_HOURS", 6)
# Web push (reach/push.py): the VAPID key (PEM; generated into .local/ outside production),
# the subject push services may contact, how long an alert may wait for an offline browser,
# the push services we post to (suffixes; a reader's endpoint elsewhere is refused).
NEWSROOM_VAPID_PRIVATE_KEY = os.environ.get("NEWSROOM_VAPID_PRIVATE_KEY", "").strip()
NEWSROOM_VAPID_SUBJECT = os.environ.get(
    "NEWSROOM_VAPID_SUBJECT", NEWSROOM_SITE_URL or "mailto:desk@example.sy"
)
NEWSROOM_PUSH_TTL = env_int("NEWSROOM_PUSH_TTL", 4 * 3600)
NEWSROOM_PUSH_TIMEOUT = env_float("NEWSROOM_PUSH_TIMEOUT", 10.0)
NEWSROOM_PUSH_WORKERS = env_int("NEWSROOM_PUSH_WORKERS", 16)
NEWSROOM_PUSH_SERVICE_HOSTS = env_list(
    "NEWSROOM_PUSH_SERVICE_HOSTS",
    "fcm.googleapis.com,updates.push.services.mozilla.com,push.services.mozilla.com,"
    "notify.windows.com,push.apple.com",
)
NEWSROOM_PUSH_ALLOW_HTTP = env_bool("NEWSROOM_PUSH_ALLOW_HTTP", False)  # loopback tests only

# Agency wires (wires/): a feed answering slower than this is cut off (connect, read and the
# whole body), a body above the cap is refused as it arrives, untaken items are kept this long.
NEWSROOM_WIRES_TIMEOUT_SECONDS = env_float("NEWSROOM_WIRES_TIMEOUT_SECONDS", 10.0)
NEWSROOM_WIRES_MAX_BYTES = env_int("NEWSROOM_WIRES_MAX_BYTES", 5 * 1024 * 1024)
NEWSROOM_WIRES_KEEP_DAYS = env_int("NEWSROOM_WIRES_KEEP_DAYS", 30)
NEWSROOM_WIRES_NEW_MINUTES = env_int("NEWSROOM_WIRES_NEW_MINUTES", 30)

# CACHES

# One cache shared by every worker process: Redis when REDIS_URL is set, else files on disk
# (no server needed; LocMemCache would give each gunicorn worker its own, unpurgeable copy).
# Keys are prefixed with the database name, so the demo and the benchmark never mix.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
CACHE_KEY_PREFIX = os.environ.get("NEWSROOM_CACHE_PREFIX", DATABASES["default"]["NAME"])
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache, but an unreachable Redis is an empty cache, not a 500.
            "BACKEND": "caching.backends.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "OPTIONS": {
                "socket_connect_timeout": env_float("NEWSROOM_REDIS_TIMEOUT", 0.5),
                "socket_timeout": env_float("NEWSROOM_REDIS_TIMEOUT", 0.5),
            },
        }
    }
    # Sessions read from Redis, written through to PostgreSQL: a Redis restart signs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "caching.backends.FileCache",  # atomic counters (caching/backends.py)
            "LOCATION": os.environ.get(
                "NEWSROOM_CACHE_DIR", str(LOCAL_DIR / "cache" / CACHE_KEY_PREFIX)
            ),
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "OPTIONS": {"MAX_ENTRIES": env_int("NEWSROOM_CACHE_MAX_ENTRIES", 50_000)},
        }
    }

# The English edition: English listings also show Arabic-only articles (marked as such).
NEWSROOM_EN_SHOWS_ARABIC = env_bool("NEWSROOM_EN_SHOWS_ARABIC", True)

# Whole pages for anonymous readers (caching/pagecache.py, articles/cache.py).
NEWSROOM_PAGE_CACHE_ENABLED = env_bool("NEWSROOM_PAGE_CACHE", True)
NEWSROOM_PAGE_CACHE_ALIAS = "default"
# Longest a page is kept; invalidation is by tags, this only bounds stale view counts.
NEWSROOM_PAGE_CACHE_SECONDS = env_int("NEWSROOM_PAGE_CACHE_SECONDS", 600)
# Longest an answer kept with its shared parts drawn at each hit (a page kept whole: the
# ticker, "most read" and the comment form's signature drawn, caching/fragments.py) is kept:
# the article's own view count in it may be this old (its script shows the current count as
# soon as it has counted the view). Long, so that an archive's answers can be kept ahead of
# its readers and crawlers (`manage.py keep_answers`).
NEWSROOM_KEPT_ANSWER_SECONDS = env_int("NEWSROOM_KEPT_ANSWER_SECONDS", 86_400)
# A page rendered within this many seconds of a change to what it shows is not kept. With
# replicas, at least the lag a replica may have (plus one look's interval): a page read from a
# replica that had not yet replayed the change is never kept.
NEWSROOM_PAGE_CACHE_SKEW_SECONDS = env_int("NEWSROOM_PAGE_CACHE_SKEW_SECONDS", 1)
if NEWSROOM_REPLICA_ALIASES:
    NEWSROOM_PAGE_CACHE_SKEW_SECONDS = max(
        NEWSROOM_PAGE_CACHE_SKEW_SECONDS,
        math.ceil(NEWSROOM_REPLICA_MAX_LAG_S + NEWSROOM_REPLICA_CHECK_SECONDS),
    )
# Rendered fragments (article text, comments, sections menu) for everyone else and every
# page-cache miss, invalidated by the same tags (caching/fragments.py).
NEWSROOM_FRAGMENT_CACHE_ENABLED = env_bool("NEWSROOM_FRAGMENT_CACHE", True)
# s-maxage for shared caches in front (nginx's microcache): how stale a page may get there.
NEWSROOM_EDGE_CACHE_SECONDS = env_int("NEWSROOM_EDGE_CACHE_SECONDS", 1)

# AUTH

AUTHENTICATION_BACKENDS = [
    "accounts.throttle.ThrottledLoginBackend",  # django-axes: refuses locked-out logins
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("NEWSROOM_PASSWORD_MIN_LENGTH", 12)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Not a rule: Django tells validators of every password change, whatever the path (desk,
    # changepassword, shell); this one ends the account's other sessions (accounts/passwords.py).
    {"NAME": "accounts.passwords.EndOtherSessionsOnChange"},
]

# Two-factor sign-in (accounts/, django-otp; docs/two-factor.md). Required of editors
# (publishers), account admins and superusers; writers and moderators may opt in.
NEWSROOM_REQUIRE_2FA = env_bool("NEWSROOM_REQUIRE_2FA", True)
OTP_TOTP_ISSUER = SITE_NAME  # the name authenticator apps show beside the code
# Wrong codes wait 1, 2, 4, 8… seconds before the next try (django-otp, per device), besides
# the django-axes lockout counted per username and address (accounts/throttle.py).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# I18N

LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", _("Arabic")), ("en", _("English"))]
# Our catalogue first: it overrides Django's Arabic where a Syrian newsroom reads otherwise.
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["newsroom.formats"]  # the desk's dates in the site's order
TIME_ZONE = os.environ.get("NEWSROOM_TIME_ZONE", "Asia/Damascus")
USE_I18N = True
USE_TZ = True

MODELTRANSLATION_DEFAULT_LANGUAGE = "ar"
MODELTRANSLATION_LANGUAGES = ("ar", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("ar",)}
# The admin's language tabs need jQuery and jQuery UI: serve Django's jQuery and our copy of
# jQuery UI (static/vendor), never modeltranslation's CDN defaults (it reads these two names).
JQUERY_URL = "admin/js/vendor/jquery/jquery.min.js"
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"

# How dates and numbers are shown to readers.
# "levantine" (كانون الثاني، شباط…) or "egyptian" (يناير، فبراير…, Django's own Arabic).
NEWSROOM_MONTH_NAMES = os.environ.get("NEWSROOM_MONTH_NAMES", "levantine")
if NEWSROOM_MONTH_NAMES == "levantine":
    # Django's own dates too (the desk, its date picker). Last: makemessages writes to the
    # first path, and any LOCALE_PATHS entry outranks Django's own catalogue.
    LOCALE_PATHS.append(BASE_DIR / "locale_levantine")
# "western" (0-9) or "arabic-indic" (٠-٩) digits on Arabic pages. Inputs accept both.
NEWSROOM_DIGITS = os.environ.get("NEWSROOM_DIGITS", "western")
NEWSROOM_SHOW_HIJRI = env_bool("NEWSROOM_SHOW_HIJRI", False)
# How many sections get a block of their latest articles on the home page (in their order).
NEWSROOM_HOME_SECTION_BLOCKS = env_int("NEWSROOM_HOME_SECTION_BLOCKS", 8)

# STATIC AND MEDIA

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("NEWSROOM_MEDIA_ROOT", BASE_DIR / "media"))
# Serve uploads from Django itself (local use). Production puts nginx in front of MEDIA_ROOT.
NEWSROOM_SERVE_MEDIA = env_bool("NEWSROOM_SERVE_MEDIA", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 31536000

# Media on S3-compatible object storage (S3, MinIO, R2, Ceph…) through django-storages when a
# bucket is named: uploads, renditions, author photos and imported images go there, and pages
# link to NEWSROOM_MEDIA_PUBLIC_URL (a CDN or the bucket's public address). Unset: MEDIA_ROOT.
NEWSROOM_S3_BUCKET = os.environ.get("NEWSROOM_S3_BUCKET", "").strip()
NEWSROOM_MEDIA_PUBLIC_URL = os.environ.get("NEWSROOM_MEDIA_PUBLIC_URL", "").strip().rstrip("/")
if NEWSROOM_S3_BUCKET:
    STORAGES["default"] = s3_storage(
        bucket=NEWSROOM_S3_BUCKET,
        endpoint_url=os.environ.get("NEWSROOM_S3_ENDPOINT_URL", "").strip(),
        access_key=os.environ.get("NEWSROOM_S3_ACCESS_KEY_ID", "").strip(),
        secret_key=os.environ.get("NEWSROOM_S3_SECRET_ACCESS_KEY", "").strip(),
        region=os.environ.get("NEWSROOM_S3_REGION", "").strip(),
        public_url=NEWSROOM_MEDIA_PUBLIC_URL,
    )
    if NEWSROOM_MEDIA_PUBLIC_URL:
        MEDIA_URL = NEWSROOM_MEDIA_PUBLIC_URL + "/"
    NEWSROOM_SERVE_MEDIA = False  # the bucket (or its CDN) serves them

# Where `make backup` writes (git-ignored); see ops/backups.py.
NEWSROOM_BACKUP_DIR = Path(os.environ.get("NEWSROOM_BACKUP_DIR", BASE_DIR / "backups"))

# Images: what an upload may be.
NEWSROOM_IMAGE_MAX_BYTES = env_int("NEWSROOM_IMAGE_MAX_BYTES", 10 * 1024 * 1024)
NEWSROOM_IMAGE_MAX_PIXELS = env_int("NEWSROOM_IMAGE_MAX_PIXELS", 40_000_000)
NEWSROOM_RENDITION_WIDTHS = (480, 960, 1440)

# EMBEDS (embeds/, docs/media.md) ----------------------------------------------------------
# Each provider's oEmbed endpoint; tests point them at a loopback server. Facebook and
# Instagram answer only with an app token ("<app-id>|<client-token>"): without one their links
# become link cards. Telegram has no oEmbed.
NEWSROOM_OEMBED_ENDPOINTS = {
    "youtube": os.environ.get("NEWSROOM_OEMBED_YOUTUBE", "https://www.youtube.com/oembed"),
    "x": os.environ.get("NEWSROOM_OEMBED_X", "https://publish.twitter.com/oembed"),
    "vimeo": os.environ.get("NEWSROOM_OEMBED_VIMEO", "https://vimeo.com/api/oembed.json"),
    "soundcloud": os.environ.get("NEWSROOM_OEMBED_SOUNDCLOUD", "https://soundcloud.com/oembed"),
    "facebook": os.environ.get(
        "NEWSROOM_OEMBED_FACEBOOK", "https://graph.facebook.com/v19.0/oembed_post"
    ),
    "facebook_video": os.environ.get(
        "NEWSROOM_OEMBED_FACEBOOK_VIDEO", "https://graph.facebook.com/v19.0/oembed_video"
    ),
    "instagram": os.environ.get(
        "NEWSROOM_OEMBED_INSTAGRAM", "https://graph.facebook.com/v19.0/instagram_oembed"
    ),
}
NEWSROOM_OEMBED_FACEBOOK_TOKEN = os.environ.get("NEWSROOM_OEMBED_FACEBOOK_TOKEN", "")
NEWSROOM_OEMBED_TIMEOUT = env_float("NEWSROOM_OEMBED_TIMEOUT", 5.0)
NEWSROOM_OEMBED_MAX_BYTES = env_int("NEWSROOM_OEMBED_MAX_BYTES", 256 * 1024)
# The hosts whose players may be framed (the CSP's frame-src), after the reader's click.
NEWSROOM_EMBED_PLAYER_HOSTS = (
    "www.youtube-nocookie.com",
    "platform.twitter.com",
    "player.vimeo.com",
    "w.soundcloud.com",
    "t.me",
    "www.facebook.com",
    "www.instagram.com",
)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# An image chosen in a form that came back with an error is kept this long (under pending/,
# uploads/kept.py); the job purge_kept_uploads deletes what is left after that.
NEWSROOM_KEPT_UPLOAD_SECONDS = env_int("NEWSROOM_KEPT_UPLOAD_SECONDS", 86_400)

# EDITORIAL DESK (admin)

# Every save of an article keeps a version (django-simple-history); who made it comes from
# the request through HistoryRequestMiddleware.
SIMPLE_HISTORY_REVERT_DISABLED = False
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# VIEW COUNTER (see counters/README.md)

# A reader's views of one article count once per window.
NEWSROOM_VIEW_WINDOW_MINUTES = env_int("NEWSROOM_VIEW_WINDOW_MINUTES", 30)
# Counter rows per article per day that concurrent views spread over.
# Views per hour are kept this many hours (the desk's chart shows the last 48).
NEWSROOM_VIEW_HOURS_KEPT = max(48, env_int("NEWSROOM_VIEW_HOURS_KEPT", 72))
NEWSROOM_VIEW_SHARDS = max(1, env_int("NEWSROOM_VIEW_SHARDS", 8))
# Wait for the WAL flush of every counted view (on), or not (off, default: several times the
# throughput; a killed worker loses nothing, a PostgreSQL crash at most ~0.6 s of views).
NEWSROOM_VIEW_SYNC_COMMIT = env_bool("NEWSROOM_VIEW_SYNC_COMMIT", False)
# The fast path (counters/wsgi.py) logs every answer but a 200 in the request log; of
# the 200s (views judged: counted, duplicate, bot…) one in NEWSROOM_VIEW_LOG_SAMPLE, marked
# "sampled": N. 1 logs them all (costs ~10% of the endpoint's throughput).
NEWSROOM_VIEW_LOG_SAMPLE = max(1, env_int("NEWSROOM_VIEW_LOG_SAMPLE", 100))
# "Most read" lists: length, and how long one computation is served from the cache.
NEWSROOM_MOST_READ_SIZE = env_int("NEWSROOM_MOST_READ_SIZE", 5)
NEWSROOM_MOST_READ_SECONDS = env_int("NEWSROOM_MOST_READ_SECONDS", 120)

# LIVE COVERAGE (see live/)

# How often an open live page asks for new entries, in milliseconds: the entry-to-reader delay
# is about this plus nginx's microcache second (make bench-live).
NEWSROOM_LIVE_POLL_MS = env_int("NEWSROOM_LIVE_POLL_MS", 1500)
# After this many answers in a row with nothing new, a page asks half as often (then a
# quarter, …, every 12 s at most) until the next news: a phone on a quiet coverage no longer
# asks 40 times a minute.
NEWSROOM_LIVE_QUIET_POLLS = env_int("NEWSROOM_LIVE_QUIET_POLLS", 20)
# How long the updates endpoint stays in the page cache at most (a new entry ends it at once).
NEWSROOM_LIVE_CACHE_SECONDS = env_int("NEWSROOM_LIVE_CACHE_SECONDS", 2)
# Longest entry, in characters of text.
NEWSROOM_LIVE_ENTRY_MAX_CHARS = env_int("NEWSROOM_LIVE_ENTRY_MAX_CHARS", 5000)

# THE DESK TOGETHER (desk/)
# Articles flagged breaking stay in the site's «عاجل» ticker this many hours after publication.
NEWSROOM_BREAKING_HOURS = max(1, env_int("NEWSROOM_BREAKING_HOURS", 6))
# An edit lock ends this many seconds after its last heartbeat (the form beats every 30 s).
NEWSROOM_LOCK_SECONDS = max(45, env_int("NEWSROOM_LOCK_SECONDS", 90))

# COMMENTS (django-comments-xtd, through our comments/ app)

COMMENTS_APP = "django_comments_xtd"
COMMENTS_XTD_MODEL = "comments.models.ReaderComment"
COMMENTS_XTD_FORM_CLASS = "comments.forms.CommentForm"
COMMENTS_XTD_MAX_THREAD_LEVEL = 2
# Confirmation by email of the first comment of an address (short, expiring, single-use link).
COMMENTS_XTD_CONFIRM_EMAIL = env_bool("NEWSROOM_COMMENTS_CONFIRM_EMAIL", False)
COMMENTS_XTD_THREADED_EMAILS = False  # mail goes through EMAIL_BACKEND in the request
COMMENT_MAX_LENGTH = env_int("NEWSROOM_COMMENT_MAX_LENGTH", 3000)
# Moderation rules (0 turns a rule off).
NEWSROOM_COMMENTS_ORDER = os.environ.get("NEWSROOM_COMMENTS_ORDER", "newest")  # or "oldest"
NEWSROOM_COMMENTS_CLOSE_AFTER_DAYS = env_int("NEWSROOM_COMMENTS_CLOSE_AFTER_DAYS", 0)
NEWSROOM_COMMENTS_MAX_LINKS = env_int("NEWSROOM_COMMENTS_MAX_LINKS", 2)
NEWSROOM_COMMENTS_HOLD_FIRST = env_bool("NEWSROOM_COMMENTS_HOLD_FIRST", True)
NEWSROOM_COMMENTS_BLOCKED_WORDS = env_list("NEWSROOM_COMMENTS_BLOCKED_WORDS", "")
NEWSROOM_COMMENTS_BLOCKED_ADDRESSES = env_list("NEWSROOM_COMMENTS_BLOCKED_ADDRESSES", "")
# Spam defence without outside services.
NEWSROOM_COMMENTS_MIN_SECONDS = env_int("NEWSROOM_COMMENTS_MIN_SECONDS", 3)
NEWSROOM_COMMENTS_RATE_WINDOW = env_int("NEWSROOM_COMMENTS_RATE_WINDOW", 600)
NEWSROOM_COMMENTS_MAX_PER_IP = env_int("NEWSROOM_COMMENTS_MAX_PER_IP", 5)
NEWSROOM_COMMENTS_MAX_PER_EMAIL = env_int("NEWSROOM_COMMENTS_MAX_PER_EMAIL", 3)
NEWSROOM_COMMENTS_CONFIRM_MAX_AGE = env_int("NEWSROOM_COMMENTS_CONFIRM_MAX_AGE", 3 * 24 * 3600)
COMMENTS_XTD_SALT = (SECRET_KEY[:16]).encode()
COMMENTS_XTD_FROM_EMAIL = os.environ.get("NEWSROOM_FROM_EMAIL", "newsroom@localhost")
COMMENTS_XTD_CONTACT_EMAIL = COMMENTS_XTD_FROM_EMAIL
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = COMMENTS_XTD_FROM_EMAIL
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("DJANGO_EMAIL_TIMEOUT", 10)
# Moderators told by email of each comment that waits for them (comma-separated addresses).
MANAGERS = [("", address) for address in env_list("NEWSROOM_COMMENT_MODERATOR_EMAILS", "")]

# Email digests (digests/): the confirmation link's lifetime, confirmation emails per
# address a day, articles in the daily digest, how long a breaking article may still be sent.
NEWSROOM_DIGEST_CONFIRM_MAX_AGE = env_int("NEWSROOM_DIGEST_CONFIRM_MAX_AGE", 3 * 86400)
NEWSROOM_DIGEST_CONFIRMATIONS_PER_DAY = env_int("NEWSROOM_DIGEST_CONFIRMATIONS_PER_DAY", 3)
NEWSROOM_DIGEST_SIZE = env_int("NEWSROOM_DIGEST_SIZE", 8)
NEWSROOM_DIGEST_BREAKING_HOURS = env_int("NEWSROOM_DIGEST_BREAKING_HOURS", 6)
NEWSROOM_DIGEST_HOUR = env_int("NEWSROOM_DIGEST_HOUR", 7)  # the daily digest from this hour

# ARCHIVE IMPORT (archive/: manage.py import_archive)

# A byline equal to one of these, or starting with one and a space, is a team, not a person.
NEWSROOM_TEAM_BYLINES = env_list(
    "NEWSROOM_TEAM_BYLINES", "فريق,هيئة التحرير,أسرة التحرير,قسم التحرير,المحرر,Staff,Team"
)
# WordPress post meta read for the view count, first found wins (view-counter plugins).
NEWSROOM_ARCHIVE_VIEW_META_KEYS = env_list(
    "NEWSROOM_ARCHIVE_VIEW_META_KEYS",
    "post_views_count,views,wpb_post_views_count,post_views,_post_views,pvc_views,hits",
)
# Section for imported articles that have none.
NEWSROOM_ARCHIVE_DEFAULT_SECTION = os.environ.get("NEWSROOM_ARCHIVE_DEFAULT_SECTION", "من الأرشيف")
# In saved legacy pages, the comment form starts at one of these lines: it and what follows
# are dropped.
NEWSROOM_ARCHIVE_PAGE_STOP_LINES = env_list(
    "NEWSROOM_ARCHIVE_PAGE_STOP_LINES",
    "اكتب تعليق,أضف تعليق,اترك تعليقاً,اترك تعليقا,كل الحقول التي عليها علامة (*) مطلوبة",
)

# SECURITY

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Staff sessions end after NEWSROOM_SESSION_HOURS of inactivity (the expiry moves on each request).
SESSION_COOKIE_AGE = env_int("NEWSROOM_SESSION_HOURS", 8) * 3600
SESSION_SAVE_EVERY_REQUEST = False
# HTTPS: on in production, each switch overridable (e.g. a proxy that already redirects).
SECURE_SSL_REDIRECT = env_bool("NEWSROOM_SSL_REDIRECT", PRODUCTION)
# Load balancers and metrics scrapers reach each app server over plain http on the private network.
SECURE_REDIRECT_EXEMPT = [r"^health/$", r"^metrics/$"]
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("NEWSROOM_SECURE_COOKIES", PRODUCTION)
SECURE_HSTS_SECONDS = env_int("NEWSROOM_HSTS_SECONDS", 31_536_000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("NEWSROOM_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("NEWSROOM_HSTS_PRELOAD", PRODUCTION)
# The TLS-terminating proxy tells Django the scheme; only trusted behind such a proxy.
if env_bool("NEWSROOM_BEHIND_PROXY", PRODUCTION):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies append to X-Forwarded-For before Django: the reader's address is that many
# from the right of the header (newsroom/client.py, the one place that reads it). 0 trusts no
# header and takes the socket's address; `make serve` and `make cluster` set 1 (their nginx).
# NEWSROOM_PROXY_COUNT, the view counter's old name for it, is still read when this is unset.
if "NEWSROOM_TRUSTED_PROXY_COUNT" not in os.environ and "NEWSROOM_PROXY_COUNT" in os.environ:
    warnings.warn(
        "NEWSROOM_PROXY_COUNT is deprecated: set NEWSROOM_TRUSTED_PROXY_COUNT instead",
        FutureWarning,  # shown by default: operators read it, not only developers
        stacklevel=1,
    )
    NEWSROOM_TRUSTED_PROXY_COUNT = env_int("NEWSROOM_PROXY_COUNT", 0)
else:
    NEWSROOM_TRUSTED_PROXY_COUNT = env_int("NEWSROOM_TRUSTED_PROXY_COUNT", 1 if PRODUCTION else 0)

# Content-Security-Policy for every response (newsroom.middleware). Scripts and styles come
# only from our own static files: no inline script, no eval, no CDN.
NEWSROOM_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    # Images from the media's public address when it is another origin (S3, a CDN).
    "img-src": ["'self'", "data:"]
    + (
        ["{0.scheme}://{0.netloc}".format(urlsplit(NEWSROOM_MEDIA_PUBLIC_URL))]
        if NEWSROOM_S3_BUCKET and NEWSROOM_MEDIA_PUBLIC_URL
        else []
    ),
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    # Embedded players, loaded only when the reader presses «تشغيل» (embeds/).
    "frame-src": ["https://" + host for host in NEWSROOM_EMBED_PLAYER_HOSTS],
}

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failures for one username from one
# address, that pair is locked for AXES_COOLOFF_TIME hours. Attempts, logins and logouts are
# kept in the database (Axes' access logs), next to the admin's LogEntry history.
AXES_FAILURE_LIMIT = env_int("NEWSROOM_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("NEWSROOM_LOGIN_COOLOFF_HOURS", 1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "newsroom.client.axes_client_ip"
AXES_LOCKOUT_TEMPLATE = "429.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_COOLOFF_MESSAGE = _("Too many failed sign-in attempts. Please try again later.")
AXES_VERBOSE = False

# Rate limits by URL name ("namespace:name"): "requests/seconds", per client address. Counters
# live in the default cache (per process with the local-memory cache, shared with Redis).
# Views can also use @newsroom.ratelimit.rate_limit("scope"). See README "Rate limits".
# Generous on purpose: Syrian mobile networks put many readers behind one address (CGNAT).
# These are a flood backstop; the comments app keeps its own finer per-address/e-mail rules.
# Names no URL has are ignored, so endpoints can be listed before they exist.
_RATE_COMMENTS = os.environ.get("NEWSROOM_RATE_COMMENTS", "20/60")
_RATE_SEARCH = os.environ.get("NEWSROOM_RATE_SEARCH", "60/60")
_RATE_VIEWS = os.environ.get("NEWSROOM_RATE_VIEWS", "600/60")
NEWSROOM_RATE_LIMITS = {
    "api": os.environ.get("NEWSROOM_RATE_API", "300/60"),  # every /api/v1/ request
    "api-search": _RATE_SEARCH,  # /api/v1/search/ also counts as a search
    "digest-subscribe": os.environ.get("NEWSROOM_RATE_SUBSCRIBE", "10/600"),
    "reach:subscribe": os.environ.get("NEWSROOM_RATE_PUSH_SUBSCRIBE", "20/600"),
    "comments-post-comment": _RATE_COMMENTS,
    "comments:post": _RATE_COMMENTS,
    "discovery:search": _RATE_SEARCH,
    "record_view": _RATE_VIEWS,
    "record_view_pixel": _RATE_VIEWS,
}
NEWSROOM_RATE_LIMIT_ENABLED = env_bool("NEWSROOM_RATE_LIMIT_ENABLED", True)
# A refused form keeps the reader's text (comments/views.py csrf_failure), never a bare 403.
CSRF_FAILURE_VIEW = "comments.views.csrf_failure"

# METRICS

# Prometheus' text format at /metrics/ for a scraper sending "Authorization: Bearer <token>"
# (ops/metrics.py). Unset: no endpoint, no timing middleware.
NEWSROOM_METRICS_TOKEN = os.environ.get("NEWSROOM_METRICS_TOKEN", "").strip()
if NEWSROOM_METRICS_TOKEN:
    MIDDLEWARE.insert(0, "ops.metrics.MetricsMiddleware")

# LOGGING

# JSON lines on stderr (one object per line: time, level, logger, message, request_id, user_id,
# path, status, duration_ms, and the traceback for errors). NEWSROOM_LOG_FORMAT=text for humans.
NEWSROOM_LOG_FORMAT = os.environ.get("NEWSROOM_LOG_FORMAT", "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "newsroom.logging.RequestContextFilter"}},
    "formatters": {
        "json": {"()": "newsroom.logging.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request"],
            "formatter": "text" if NEWSROOM_LOG_FORMAT == "text" else "json",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
    "loggers": {
        # One line per request and every sign-in event, whatever DJANGO_LOG_LEVEL says.
        "newsroom.requests": {"level": os.environ.get("NEWSROOM_REQUEST_LOG_LEVEL", "INFO")},
        "newsroom.audit": {"level": "INFO"},
        "axes": {"level": "WARNING"},
    },
}

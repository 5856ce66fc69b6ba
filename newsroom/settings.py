"""Settings for the newsroom CMS, read from environment variables with safe defaults.

Every knob is an environment variable (see README.md, "Configuration"). Nothing here
needs a server beyond PostgreSQL, and even that is embedded when DATABASE_URL is unset.
"""

import os
import secrets
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from newsroom.database import database_settings

BASE_DIR = Path(__file__).resolve().parent.parent
LOCAL_DIR = BASE_DIR / ".local"  # git-ignored: generated secret key, admin password


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


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


# CORE

DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or local_secret_key()
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")
SITE_NAME = os.environ.get("NEWSROOM_SITE_NAME", "الماسة السورية")
SITE_ID = 1

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
    "django_comments_xtd",
    "django_comments",
    "newsroom",
    "articles",
    "comments",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
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
        },
    },
]

# DATABASES

DATABASES = {"default": database_settings(BASE_DIR)}
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["TEST"] = {"NAME": "test_" + DATABASES["default"]["NAME"]}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# CACHES

# One cache shared by every worker process: Redis when REDIS_URL is set, else files on disk
# (no server needed; LocMemCache would give each gunicorn worker its own, unpurgeable copy).
# Keys are prefixed with the database name, so the demo and the benchmark never mix.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
CACHE_KEY_PREFIX = os.environ.get("NEWSROOM_CACHE_PREFIX", DATABASES["default"]["NAME"])
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get(
                "NEWSROOM_CACHE_DIR", str(LOCAL_DIR / "cache" / CACHE_KEY_PREFIX)
            ),
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "OPTIONS": {"MAX_ENTRIES": env_int("NEWSROOM_CACHE_MAX_ENTRIES", 50_000)},
        }
    }

# Whole pages for anonymous readers (newsroom/pagecache.py, articles/cache.py).
NEWSROOM_PAGE_CACHE_ENABLED = env_bool("NEWSROOM_PAGE_CACHE", True)
NEWSROOM_PAGE_CACHE_ALIAS = "default"
# Longest a page is kept; invalidation is by tags, this only bounds stale view counts.
NEWSROOM_PAGE_CACHE_SECONDS = env_int("NEWSROOM_PAGE_CACHE_SECONDS", 600)
# A page rendered within this many seconds of a change to what it shows is not kept.
NEWSROOM_PAGE_CACHE_SKEW_SECONDS = env_int("NEWSROOM_PAGE_CACHE_SKEW_SECONDS", 1)
# s-maxage for shared caches in front (nginx's microcache): how stale a page may get there.
NEWSROOM_EDGE_CACHE_SECONDS = env_int("NEWSROOM_EDGE_CACHE_SECONDS", 1)

# AUTH

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# I18N

LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", _("Arabic")), ("en", _("English"))]
# Our catalogue first: it overrides Django's Arabic where a Syrian newsroom reads otherwise.
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("NEWSROOM_TIME_ZONE", "Asia/Damascus")
USE_I18N = True
USE_TZ = True

MODELTRANSLATION_DEFAULT_LANGUAGE = "ar"
MODELTRANSLATION_LANGUAGES = ("ar", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("ar",)}

# How dates and numbers are shown to readers.
# "levantine" (كانون الثاني، شباط…) or "egyptian" (يناير، فبراير…, Django's own Arabic).
NEWSROOM_MONTH_NAMES = os.environ.get("NEWSROOM_MONTH_NAMES", "levantine")
# "western" (0-9) or "arabic-indic" (٠-٩) digits on Arabic pages. Inputs accept both.
NEWSROOM_DIGITS = os.environ.get("NEWSROOM_DIGITS", "western")
NEWSROOM_SHOW_HIJRI = env_bool("NEWSROOM_SHOW_HIJRI", False)

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

# Images: what an upload may be.
NEWSROOM_IMAGE_MAX_BYTES = env_int("NEWSROOM_IMAGE_MAX_BYTES", 10 * 1024 * 1024)
NEWSROOM_IMAGE_MAX_PIXELS = env_int("NEWSROOM_IMAGE_MAX_PIXELS", 40_000_000)
NEWSROOM_RENDITION_WIDTHS = (480, 960, 1440)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# COMMENTS (django-comments-xtd, through our comments/ app)

COMMENTS_APP = "django_comments_xtd"
COMMENTS_XTD_MAX_THREAD_LEVEL = 2
COMMENTS_XTD_CONFIRM_EMAIL = env_bool("NEWSROOM_COMMENTS_CONFIRM_EMAIL", False)
COMMENTS_XTD_SALT = (SECRET_KEY[:16]).encode()
COMMENTS_XTD_FROM_EMAIL = os.environ.get("NEWSROOM_FROM_EMAIL", "newsroom@localhost")
COMMENTS_XTD_CONTACT_EMAIL = COMMENTS_XTD_FROM_EMAIL
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = COMMENTS_XTD_FROM_EMAIL

# SECURITY

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# LOGGING

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

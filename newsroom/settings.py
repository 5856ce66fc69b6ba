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
# A "SELECT 1" before each request's first query: one more round trip for the view counter.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env_bool("DATABASE_CONN_HEALTH_CHECKS", True)
DATABASES["default"]["TEST"] = {"NAME": "test_" + DATABASES["default"]["NAME"]}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# CACHES

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "newsroom",
    }
}

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

# VIEW COUNTER (see docs/view-counter.md)

# A reader's views of one article count once per window.
NEWSROOM_VIEW_WINDOW_MINUTES = env_int("NEWSROOM_VIEW_WINDOW_MINUTES", 30)
# Counter rows per article per day that concurrent views spread over.
NEWSROOM_VIEW_SHARDS = max(1, env_int("NEWSROOM_VIEW_SHARDS", 8))
# Wait for the WAL flush of every counted view (on), or not (off, default: several times the
# throughput; a killed worker loses nothing, a PostgreSQL crash at most ~0.6 s of views).
NEWSROOM_VIEW_SYNC_COMMIT = env_bool("NEWSROOM_VIEW_SYNC_COMMIT", False)
# Trusted reverse proxies in front of Django: the reader's IP is that many from the right
# of X-Forwarded-For. 0 (default) trusts no header and uses the socket's address.
NEWSROOM_PROXY_COUNT = env_int("NEWSROOM_PROXY_COUNT", 0)
# "Most read" lists: length, and how long one computation is served from the cache.
NEWSROOM_MOST_READ_SIZE = env_int("NEWSROOM_MOST_READ_SIZE", 5)
NEWSROOM_MOST_READ_SECONDS = env_int("NEWSROOM_MOST_READ_SECONDS", 120)

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

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
    "newsroom",
    "articles",
    "comments",
    "archive",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "archive.middleware.LegacyRedirectMiddleware",  # sees the final 404s; no query otherwise
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
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
# The admin's language tabs need jQuery and jQuery UI: serve Django's jQuery and our copy of
# jQuery UI (static/vendor), never modeltranslation's CDN defaults (it reads these two names).
JQUERY_URL = "admin/js/vendor/jquery/jquery.min.js"
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"

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

# EDITORIAL DESK (admin)

# Every save of an article keeps a version (django-simple-history); who made it comes from
# the request through HistoryRequestMiddleware.
SIMPLE_HISTORY_REVERT_DISABLED = False
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

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
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# A refused form keeps the reader's text (comments/views.py csrf_failure), never a bare 403.
CSRF_FAILURE_VIEW = "comments.views.csrf_failure"

# LOGGING

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

"""Settings for qnwmh, read from the environment only (see qnwmh/env.py).

QNWMH_ENV selects the mode: "development" (default; SQLite, debug on, console e-mail),
"test" (set by the test suite) or "production" (refuses to start without a real secret key,
with DEBUG on, or without ALLOWED_HOSTS).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from qnwmh.env import (
    ConfigError,
    database_from_url,
    env_bool,
    env_int,
    env_list,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent
MODE = env_str("QNWMH_ENV", "development")
if MODE not in ("development", "test", "production"):
    raise ConfigError(f"QNWMH_ENV must be development, test or production, not {MODE!r}")
PRODUCTION = MODE == "production"

DEBUG = env_bool("DEBUG", not PRODUCTION and MODE != "test")
SECRET_KEY = env_str("SECRET_KEY")
if PRODUCTION:
    if DEBUG:
        raise ConfigError("DEBUG must be off in production")
    if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure") or len(set(SECRET_KEY)) < 5:
        raise ConfigError(
            "SECRET_KEY must be set to a random value of 50+ characters in production"
        )
elif not SECRET_KEY:
    SECRET_KEY = "django-insecure-development-key-not-for-production-use-0123456789"

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ConfigError("ALLOWED_HOSTS must be set in production")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Public links (QR codes, e-mails) need an absolute base; the request's host is used when unset.
SITE_URL = env_str("SITE_URL", "").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "ninja",  # serves its Swagger UI files locally (no CDN)
    "django_tasks",
    "django_tasks_db",  # the task queue's table: no broker, the worker polls the database
    # Our apps, in lifecycle order: an app may import the ones above it, never below.
    "qnwmh.core",
    "qnwmh.audit",
    "qnwmh.accounts",
    "qnwmh.orgs",
    "qnwmh.programme",
    "qnwmh.collectives",
    "qnwmh.access",
    "qnwmh.evidence",
    "qnwmh.notices",
    "qnwmh.downloads",
    "qnwmh.knowledge",
    "qnwmh.cycles",
    "qnwmh.creation",
    "qnwmh.supervision",
    "qnwmh.certification",
    "qnwmh.awards",
    "qnwmh.training",
    "qnwmh.oversight",
    "qnwmh.exchange",
    "qnwmh.partnerships",
    "qnwmh.consultation",
    "qnwmh.recognition",
    "qnwmh.public",
    "qnwmh.dashboards",
    "qnwmh.api",
    "qnwmh.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads the body: an oversized one is refused from its Content-Length.
    "qnwmh.core.middleware.RequestSizeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Django's, but an unchanged session is written only once it has aged (see the class).
    "qnwmh.core.middleware.RenewingSessionMiddleware",
    "qnwmh.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "qnwmh.core.error_views.TechnicalPageFilter",
    "django_htmx.middleware.HtmxMiddleware",
    "qnwmh.accounts.middleware.SessionLimitsMiddleware",
    "qnwmh.access.middleware.ActorMiddleware",
    # Axes last: it turns a locked-out login into our own answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "qnwmh.urls"
CSRF_FAILURE_VIEW = "qnwmh.core.error_views.csrf_failure"
WSGI_APPLICATION = "qnwmh.wsgi.application"
# Forms render Django's own markup: its Jinja2 copies of the form and widget templates, the
# common ones written out in Python (qnwmh.core.formrender; a form is most of a small page).
FORM_RENDERER = "qnwmh.core.formrender.FormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "qnwmh.core.context.navigation",
                "qnwmh.core.context.chrome",
            ],
            "builtins": ["django.templatetags.i18n", "qnwmh.core.templatetags.ui"],
        },
    },
    {
        # The rows of the busiest tables (``qnwmh.core.fragments``), in apps' ``jinja2/``.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "fragments",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "qnwmh.core.fragments.environment"},
    },
]

DATA_DIR = Path(env_str("DATA_DIR", str(BASE_DIR / "var")))
DATABASES = {
    "default": database_from_url(
        env_str("DATABASE_URL"), sqlite_default=str(DATA_DIR / "qnwmh.sqlite3")
    )
}
# A PostgreSQL streaming replica of the primary (docs/DEPLOY.md): dashboards, exports and
# reports marked with qnwmh.core.replica.replica_reads read there; everything else, and every
# write, stays on default. In tests it mirrors default's test database, which the replica
# receives by replication (so a marked read there sees only what the primary committed).
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL and not DATABASE_REPLICA_URL.startswith(("postgres://", "postgresql://")):
    raise ConfigError("DATABASE_REPLICA_URL must be a postgres:// URL")
if DATABASE_REPLICA_URL and DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    # A replica of PostgreSQL cannot serve a SQLite database. Outside production that is a
    # tool or test subprocess on its own SQLite copy, in an environment that names a replica.
    if PRODUCTION:
        raise ConfigError("DATABASE_REPLICA_URL needs a PostgreSQL DATABASE_URL")
    DATABASE_REPLICA_URL = ""
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = database_from_url(DATABASE_REPLICA_URL, sqlite_default="")
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["qnwmh.core.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Caches are shared by every web node and the worker: Django's database cache in the primary
# (the table comes with core's migration 0001), so nothing a node caches can disagree with
# another node; REDIS_URL puts it in Redis instead (needs the redis package). A per-process
# memo is allowed only where its key holds a version read from the database on that request.
# Tests keep a per-process cache (each test clears it); the multi-node tests run production's.
REDIS_URL = env_str("REDIS_URL")
CACHE_TABLE = "qnwmh_cache"
CACHES: dict[str, dict[str, object]]
if REDIS_URL:
    if importlib.util.find_spec("redis") is None:
        raise ConfigError("REDIS_URL needs the redis package (pip install redis)")
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
elif MODE == "test":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": CACHE_TABLE,
            # Django culls a third of the rows when the table passes MAX_ENTRIES.
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 50_000, minimum=100)},
        }
    }

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if MODE == "test":
    # Argon2 is deliberately slow; tests that are not about hashing use a fast hasher.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "display_name", "email", "phone")},
    },
    {
        "NAME": "qnwmh.accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 10, minimum=8)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "qnwmh.accounts.validators.ContextWordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Idle timeout: a sign-in expires after this many minutes without a request (renewed as below).
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30, minimum=1) * 60
# Not on every request: RenewingSessionMiddleware writes an unchanged session when its last
# write is this old, so a sign-in ends between (idle - step) and idle after its last request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_RENEW_SECONDS = env_int("SESSION_RENEW_SECONDS", 60, minimum=1)
if SESSION_RENEW_SECONDS * 2 > SESSION_COOKIE_AGE:
    raise ConfigError("SESSION_RENEW_SECONDS must be at most half the idle timeout")
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Absolute lifetime: a sign-in ends this many hours after it began, however active
# (qnwmh.accounts.middleware.SessionLimitsMiddleware).
SESSION_ABSOLUTE_HOURS = env_int("SESSION_ABSOLUTE_HOURS", 12, minimum=1)

# Lockout, two tiers (qnwmh.accounts.lockout):
# - fast: LOGIN_FAILURE_LIMIT failures for one username from one address lock that pair for
#   LOGIN_LOCKOUT_MINUTES. Someone else's typos elsewhere cannot lock the owner out, and one
#   office behind a NAT address is not locked as a whole.
# - slow: LOGIN_USERNAME_FAILURE_LIMIT failures for one username from any addresses within
#   LOGIN_USERNAME_WINDOW_HOURS lock the username itself (a distributed guess), until the
#   window passes or an administrator unlocks it.
# Known and unknown usernames are treated alike, so the answer tells nothing about accounts.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "qnwmh.accounts.lockout.TwoTierHandler"
LOGIN_USERNAME_FAILURE_LIMIT = env_int("LOGIN_USERNAME_FAILURE_LIMIT", 50, minimum=1)
LOGIN_USERNAME_WINDOW_HOURS = env_int("LOGIN_USERNAME_WINDOW_HOURS", 24, minimum=1)
if LOGIN_USERNAME_FAILURE_LIMIT < AXES_FAILURE_LIMIT:
    raise ConfigError("LOGIN_USERNAME_FAILURE_LIMIT must not be below LOGIN_FAILURE_LIMIT")
AXES_LOCKOUT_CALLABLE = "qnwmh.accounts.views.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
# Reverse proxies in front of the server (0: clients connect directly); see client_ip().
PROXY_COUNT = env_int("PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "qnwmh.accounts.middleware.client_ip"
SILENCED_SYSTEM_CHECKS: list[str] = []

# API tokens stop working this many days after they were issued; a password change or an
# administrator's reset revokes all of the user's tokens at once.
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 90, minimum=1)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True
LOCALE_PATHS: list[Path] = []  # each app keeps its own catalogue in <app>/locale

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
MEDIA_URL = "/media/"  # never served directly: files go through scoped views
STORAGE_BACKEND = env_str("STORAGE_BACKEND", "local")
STORAGES: dict[str, dict[str, object]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
if STORAGE_BACKEND == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("S3_BUCKET"),
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "access_key": env_str("S3_ACCESS_KEY"),
            "secret_key": env_str("S3_SECRET_KEY"),
            "default_acl": "private",
            "querystring_auth": True,
        },
    }
elif STORAGE_BACKEND != "local":
    raise ConfigError("STORAGE_BACKEND must be local or s3")
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Largest request body accepted (all files of one form together), refused from Content-Length
# before reading (qnwmh.core.middleware.RequestSizeMiddleware). Keep the reverse proxy's limit
# (nginx client_max_body_size) at this figure. Public complaint intake has a lower one.
MAX_REQUEST_BODY_BYTES = env_int("MAX_REQUEST_BODY_MB", 200, minimum=1) * 1024 * 1024
# Evidence images (qnwmh.evidence): refuse above this many pixels before decoding; scale the
# kept copy down to this long edge; thumbnails at this edge. Size limits are programme rules.
EVIDENCE_MAX_PIXELS = env_int("EVIDENCE_MAX_PIXELS", 50_000_000, minimum=1_000_000)
EVIDENCE_MAX_EDGE = env_int("EVIDENCE_MAX_EDGE", 4096, minimum=640)
EVIDENCE_THUMB_EDGE = 320
EVIDENCE_JPEG_QUALITY = 85
EVIDENCE_PDF_INFLATE_BUDGET = 64 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "qnwmh@localhost")

# Background work (docs/CONVENTIONS.md, "Background work"): tasks are rows in the database that
# `manage.py run_worker` runs. Tests run each task when it is enqueued, as the library advises.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if MODE == "test"
            else "django_tasks_db.DatabaseBackend"
        ),
    }
}
# Outgoing e-mail is retried this many times, waiting MAIL_RETRY_SECONDS × 4^(attempt−1)
# between tries, before it is shown to city admins as failed.
MAIL_MAX_ATTEMPTS = env_int("MAIL_MAX_ATTEMPTS", 5)
MAIL_RETRY_SECONDS = env_int("MAIL_RETRY_SECONDS", 60)
# Files built in the request up to this size; above it they are built by the worker and kept
# for download (qnwmh.core.background, qnwmh.downloads): rows of an export, and boards of a
# bulk print or entries of a dossier for a PDF. Kept GENERATED_FILE_DAYS days
# (`manage.py expire_files`, daily from cron).
EXPORT_INLINE_ROWS = env_int("EXPORT_INLINE_ROWS", 2000, minimum=0)
PDF_INLINE_ITEMS = env_int("PDF_INLINE_ITEMS", 20, minimum=0)
GENERATED_FILE_DAYS = env_int("GENERATED_FILE_DAYS", 7, minimum=1)

# Security headers; production adds HTTPS-only cookies and HSTS.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env_bool("BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    if not SECURE_SSL_REDIRECT:
        # The proxy in front terminates TLS and redirects; Django's own check cannot see that.
        SILENCED_SYSTEM_CHECKS += ["security.W008"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# Page sizes: lists paginate; the API caps what a client may ask for.
PAGE_SIZE = 25
# Lists count their rows up to this many and say "more than" above it (qnwmh.core.pagination).
LIST_COUNT_CAP = env_int("LIST_COUNT_CAP", 10_000, minimum=100)
API_MAX_PAGE_SIZE = 200
# Under tests every prepared query (qnwmh.core.prepared) is also compiled afresh and compared.
PREPARED_CHECK = MODE == "test"

# Short labels used throughout templates.
PLATFORM_NAME = _("青年文明号创建管理平台")

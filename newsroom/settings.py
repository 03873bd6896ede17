"""Settings for Tòa soạn, driven by environment variables.

With nothing set, the project runs as a local demo on a SQLite file under
``var/``. Setting ``DATABASE_URL`` means a real deployment: then a missing
``SECRET_KEY`` is an error, not something to paper over.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from newsroom import media_storage

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean (use 1/0, true/false)."
    )


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DATABASE_URL = os.environ.get("DATABASE_URL", "")
# Local mode: a newcomer's machine or the demo. Anything with a real database
# is treated as a deployment.
IS_LOCAL = not DATABASE_URL

DEBUG = env_bool("DEBUG", False)


def _local_secret_key() -> str:
    """A per-checkout key kept under var/, so demo sessions survive restarts."""
    key_file = VAR_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not IS_LOCAL:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. A deployment (DATABASE_URL is set) needs a long "
            "random SECRET_KEY in its environment, e.g. from "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
        )
    SECRET_KEY = _local_secret_key()

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if IS_LOCAL else []
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Before our apps: articles/admin/people.py unregisters taggit's unused Tag admin,
    # which must have been registered first.
    "taggit",
    # Configuration only; its old migrations make SiteSettings' table (now paper's).
    "newsroom",
    "paper",
    "pagecache",
    "articles",
    "api",
    "comments",
    "editions",
    "demo",
    "wordpress",
    "accounts",
    "paper.apps.NewsroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_prose_editor",
    "django_otp",
    "accounts.apps.TwoFactorConfig",  # django_otp.plugins.otp_totp, named in Vietnamese
    "accounts.apps.LockoutConfig",  # axes, named in Vietnamese
    # Background work (paper/tasks.py): the Tasks framework's backport and its
    # database backend, whose table holds the queue.
    "django_tasks",
    "paper.apps.TaskQueueConfig",  # django_tasks_db, named in Vietnamese
]

MIDDLEWARE = [
    # First: every log line of a request carries its id (paper/logs.py).
    "paper.logs.RequestIdMiddleware",
    # Answers that come before a post's body was read still let it be read
    # whole, so the proxy in front gets them (paper/middleware.py).
    "paper.middleware.DrainRequestBodyMiddleware",
    # Before anything reads the database: whether this request's reads may come
    # from the replica. Removes itself without DATABASE_REPLICA_URL.
    "paper.routers.ReplicaMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "paper.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Outside the session, CSRF and messages middleware, so it sees every
    # cookie and Vary header they add, and a kept page costs none of them.
    "pagecache.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Answers a locked-out sign-in with accounts/locked_out.html.
    "axes.middleware.AxesMiddleware",
    # Last: sees the view's 404 first and answers old WordPress links instead.
    "wordpress.middleware.RedirectFallbackMiddleware",
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "paper.context_processors.paper",
                "articles.context_processors.navigation",
                "comments.context_processors.moderation",
            ],
        },
    },
]

# DB_POOL=1 uses psycopg's connection pool (Django 5.1+) instead of one
# persistent connection per worker thread; Django refuses both at once.
DB_POOL = env_bool("DB_POOL", False)


def _database(url: str) -> dict:
    database = dj_database_url.parse(
        url,
        conn_max_age=0 if DB_POOL else env_int("CONN_MAX_AGE", 60),
        conn_health_checks=not DB_POOL,
    )
    options = database.setdefault("OPTIONS", {})
    # A database host that does not answer fails a request in seconds (a 503,
    # paper.views.server_error) rather than holding a worker for minutes.
    options["connect_timeout"] = env_int("DB_CONNECT_TIMEOUT", 3)
    if DB_POOL:
        options["pool"] = {
            "min_size": env_int("DB_POOL_MIN_SIZE", 2),
            "max_size": env_int("DB_POOL_MAX_SIZE", 4),
        }
    return database


# A streaming replica of DATABASE_URL: anonymous readers' pages read from it,
# editors and every write stay on the primary (paper/routers.py).
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
# The longest the replica may be behind: after a write, its writer reads from
# the primary this long, and a page read from the replica this soon after a
# purge is kept no longer than that.
DATABASE_REPLICA_MAX_LAG = env_int("DATABASE_REPLICA_MAX_LAG", 5)
if DATABASE_REPLICA_URL and not DATABASE_URL:
    raise ImproperlyConfigured(
        "DATABASE_REPLICA_URL is set without DATABASE_URL: a replica needs its primary."
    )

if DATABASE_URL:
    DATABASES = {"default": _database(DATABASE_URL)}
    if DATABASE_REPLICA_URL:
        DATABASES["replica"] = {
            **_database(DATABASE_REPLICA_URL),
            # The test run makes no second database: the replica is the primary
            # under another name, as replication would make it.
            "TEST": {"MIRROR": "default"},
        }
        DATABASE_ROUTERS = ["paper.routers.PrimaryReplicaRouter"]
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            # The demo serves one process with a few threads; wait for a lock
            # rather than failing a comment post with "database is locked".
            "OPTIONS": {"timeout": 20},
        }
    }

# One cache, shared by every server process: comment rate-limit counters, the
# "Đọc nhiều" view counters between bulk flushes (articles/reading.py), kept
# pages and their purge marks (pagecache/). Production sets REDIS_URL (atomic
# INCR, expiry built in). Without it, a file cache under var/ with a file lock
# around add/incr: shared by all processes on one machine (the demo, a small
# paper's single server) with no extra service; per-process memory would let
# a comment flood through N times over and miss purges made by other workers.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "toasoan"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "pagecache.backends.LockingFileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            # Kept pages come and go; purge marks and counters must not be
            # culled with them (Django's default is 300 entries).
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 20_000)},
        }
    }

# Whole public pages for anonymous readers (pagecache/), purged by what
# changed. PAGE_CACHE=0 turns off every kept layer (the benchmark's cold pass).
PAGE_CACHE = env_bool("PAGE_CACHE", True)
# The longest a page is kept without a purge: what no write announces (the
# "Đọc nhiều" counters, comments closing with age) is at most this late.
PAGE_CACHE_TTL = env_int("PAGE_CACHE_TTL", 300)
# Front caches (Varnish with xkey, deploy/varnish/) to purge by key, as base
# URLs: "http://127.0.0.1:6081".
PURGE_URLS = env_list("PURGE_URLS", [])

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if not DATABASE_URL:
    # The reader indexes carry INCLUDE columns for PostgreSQL's index-only
    # scans; SQLite builds them without those columns, which is fine for the
    # demo and is said once here instead of on every command.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]

_VALIDATORS = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_VALIDATORS}.UserAttributeSimilarityValidator"},
    {"NAME": f"{_VALIDATORS}.MinimumLengthValidator"},
    {"NAME": f"{_VALIDATORS}.CommonPasswordValidator"},
    {"NAME": f"{_VALIDATORS}.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
# Day-first input formats (Django's "vi" locale has none: month-first).
FORMAT_MODULE_PATH = ["paper.formats"]
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Photos on S3-compatible object storage instead of MEDIA_ROOT, so that every
# app server sees every upload: s3://bucket?endpoint_url=https://... with the
# keys in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY; MEDIA_URL may name a CDN
# in front of the bucket. The parameters: newsroom/media_storage.py.
MEDIA_STORAGE_URL = os.environ.get("MEDIA_STORAGE_URL", "")
_media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
if MEDIA_STORAGE_URL:
    _media_storage, MEDIA_URL = media_storage.storage_settings(
        MEDIA_STORAGE_URL, media_url=os.environ.get("MEDIA_URL", "")
    )
# Without a front web server (the demo, a very small paper), Django serves the
# uploaded photos itself; never those on object storage.
SERVE_MEDIA = env_bool("SERVE_MEDIA", IS_LOCAL) and not MEDIA_STORAGE_URL

STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Uploaded photos can be large; anything bigger is refused before Django reads it.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o644

# HTTPS hardening. A deployment behind TLS sets HTTPS=1; the local demo is
# served over plain http on 127.0.0.1 and would lose its cookies otherwise.
HTTPS = env_bool("HTTPS", False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS)
# Behind our own reverse proxy: trust its X-Forwarded-Proto and the address it
# appends to X-Forwarded-For (comment rate limits count per reader address).
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
# The mail server, in one variable: smtp://user:password@host:587 (STARTTLS on
# port 587 or with ?tls=1), smtps://user:password@host:465 (TLS from the
# start), smtp://host:25 (no TLS, no login: a relay on the same network).
EMAIL_URL = os.environ.get("EMAIL_URL", "")
if EMAIL_URL:
    _mail = urlsplit(EMAIL_URL)
    if _mail.scheme not in ("smtp", "smtps") or not _mail.hostname:
        raise ImproperlyConfigured(
            f"EMAIL_URL must look like smtp://user:password@host:587, not {EMAIL_URL!r}"
        )
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _mail.hostname
    EMAIL_USE_SSL = _mail.scheme == "smtps"
    EMAIL_PORT = _mail.port or (465 if EMAIL_USE_SSL else 25)
    EMAIL_USE_TLS = not EMAIL_USE_SSL and (
        EMAIL_PORT == 587 or parse_qs(_mail.query).get("tls") == ["1"]
    )
    EMAIL_HOST_USER = unquote(_mail.username or "")
    EMAIL_HOST_PASSWORD = unquote(_mail.password or "")
# A mail server that hangs fails the send after this many seconds (in the
# worker: no request waits for mail), and the task is tried again later.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 5)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "toasoan@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The public address, for links in emails sent outside a request.
SITE_URL = os.environ.get(
    "SITE_URL", "http://127.0.0.1:8000" if IS_LOCAL else ""
).rstrip("/")
ADMINS = [("Quản trị", email) for email in env_list("ADMINS", [])]

# Background work (paper/tasks.py): mail and other slow or fallible work is
# enqueued once the request's writes commit, into a table of the database, and
# done by `manage.py run_worker` (deploy/systemd/toasoan-worker.service). The
# tests enqueue into the same backend and run the same worker.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# /healthz names the worker when a task has been ready this many seconds
# without a worker taking it (paper/views.py).
WORKER_LATE_AFTER = env_int("WORKER_LATE_AFTER", 300)

LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"

# The admin's door (accounts/). Staff sessions end after a working day without
# a request; each request moves the end (readers have no session).
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 10 * 3600)
SESSION_SAVE_EVERY_REQUEST = True
AUTHENTICATION_BACKENDS = [
    # Refuses a locked-out name or address before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Ten failures for one name, or from one address, lock it for half an hour.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 10)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "comments.defences.client_ip"
AXES_VERBOSE = False
# Its admin pages (lockouts, sign-in and failure logs) show IP addresses, raw
# form data and English no catalogue can reach; nobody in the newsroom works
# there. `manage.py axes_reset_username` unlocks a name (README: The admin's door).
AXES_ENABLE_ADMIN = False
# Who must sign in with a code as well (accounts/second_factor.py):
# administrators and whoever holds one of these permissions.
SECOND_FACTOR_REQUIRED_FOR = ["articles.publish_article"]
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Tòa soạn")
ADMIN_URL_PREFIX = "/quan-tri/"
# The admin index's panels (paper/sites.py), in the order they are shown: each
# app that has work waiting for someone says what it is.
ADMIN_DASHBOARD_PANELS = [
    "articles.dashboard.dashboard_panels",
    "comments.dashboard.dashboard_panels",
]
CSRF_FAILURE_VIEW = "paper.views.csrf_failure"
# Django 6 behaviour now: a typed "baodongkhoi.vn" becomes an https link.
FORMS_URLFIELD_ASSUME_HTTPS = True

TAGGIT_CASE_INSENSITIVE = True

# Errors (uncaught exceptions and ERROR log lines) go to Sentry when set;
# no reader's address, cookie, form data or local variable is sent.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        send_default_pii=False,
        include_local_variables=False,
        traces_sample_rate=0,
    )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "paper.logs.RequestIdFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "text": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
        },
        "json": {"()": "paper.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if os.environ.get("LOG_FORMAT") == "json" else "text",
        },
        "null": {"class": "logging.NullHandler"},
        # Django's error mail to ADMINS, handed to the worker rather than sent
        # while the failing request waits for the mail server.
        "mail_admins": {
            "level": "ERROR",
            "filters": ["require_debug_false"],
            "class": "paper.logs.QueuedAdminEmailHandler",
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Replaces Django's own handlers for it (its console handler prints only
        # with DEBUG; the root's prints every line already).
        "django": {"handlers": ["mail_admins"], "level": "INFO"},
        # Admin-visible 404s are noise at INFO; real errors still reach the log.
        "django.request": {"level": "ERROR"},
        # A reader's over-long post is answered by paper.views.bad_request,
        # which logs one line; Django's own record is an ERROR with a traceback.
        "django.security.RequestDataTooBig": {"handlers": ["null"], "propagate": False},
        # Each failed sign-in is an INFO line; lockouts are WARNINGs.
        "axes": {"level": "WARNING"},
    },
}

# Benchmark-only endpoints (/__bench/bare); never on in production.
BENCH_ENDPOINTS = env_bool("BENCH_ENDPOINTS", False)

# Newsroom rules that operators may tune.
ARTICLES_PER_PAGE = env_int("ARTICLES_PER_PAGE", 20)

# Photo uploads (articles/images.py). A bigger file or picture is refused with a
# message; Pillow's decompression-bomb guard is set to the same pixel limit.
PHOTO_MAX_BYTES = env_int("PHOTO_MAX_BYTES", 20 * 1024 * 1024)
PHOTO_MAX_PIXELS = env_int("PHOTO_MAX_PIXELS", 40_000_000)
# The stored original is re-encoded without metadata and fits in this square.
PHOTO_MASTER_MAX_SIDE = env_int("PHOTO_MASTER_MAX_SIDE", 3200)
# Video uploads (articles/video_files.py): a heavier MP4 is refused with a
# message. The front web server's cap for the video form follows it
# (deploy/nginx/toasoan.conf): raise both together.
VIDEO_MAX_BYTES = env_int("VIDEO_MAX_BYTES", 100 * 1024 * 1024)

# The print edition (editions/pdf.py). A bigger PDF, or one with more pages, is
# refused with a message; each page is drawn in a child process with this much
# memory and time at most, this many at once.
PRINT_PDF_MAX_BYTES = env_int("PRINT_PDF_MAX_BYTES", 60 * 1024 * 1024)
PRINT_MAX_PAGES = env_int("PRINT_MAX_PAGES", 100)
PRINT_RENDER_MEMORY_MIB = env_int("PRINT_RENDER_MEMORY_MIB", 1024)
PRINT_RENDER_SECONDS = env_int("PRINT_RENDER_SECONDS", 60)
PRINT_RENDER_PROCESSES = env_int("PRINT_RENDER_PROCESSES", 2)

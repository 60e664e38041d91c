"""Settings for events_platform, driven by environment variables.

Every variable is listed with its default and meaning in `.env.example`. The defaults are
safe for a laptop (SQLite, a filesystem broker, mails to the console); production sets
DJANGO_DEBUG=false and the secrets, and `manage.py check --deploy` is then clean.
"""

import os
import sys
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("EVENTS_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def database_application_name(argv: list[str]) -> str:
    """The name a PostgreSQL connection gives itself (pg_stat_activity.application_name):
    "events_platform web" for gunicorn, "… worker" and "… beat" for Celery, "… migrate"
    for `manage.py migrate`, else the program's name. ASCII, at most 63 characters (the
    server cuts longer names)."""
    program = Path(argv[0]).name if argv else ""
    words = [word for word in argv[1:] if not word.startswith("-")]
    if program == "gunicorn":
        role = "web"
    elif program == "celery":
        role = next((word for word in words if word in {"worker", "beat"}), "celery")
    elif program == "manage.py" and words:
        role = words[0]
    else:
        role = program or "python"
    name = f"events_platform {role}"
    return name.encode("ascii", "replace").decode("ascii")[:63]


DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is false.")
    SECRET_KEY = "insecure-development-key-only-for-local-use-" + "x" * 20
# Earlier secret keys, still accepted for signed and encrypted links (rotation: set a new
# DJANGO_SECRET_KEY, move the old one here, remove it once its links may stop working).
SECRET_KEY_FALLBACKS = env_list("DJANGO_SECRET_KEY_FALLBACKS", "")
# Encrypts the events' ticket-signing private keys at rest (events_platform/ticket_codes.py).
# Unset: SECRET_KEY (changing that key then makes existing tickets unverifiable).
TICKET_KEY_ENCRYPTION_KEY = os.environ.get("TICKET_KEY_ENCRYPTION_KEY", "") or SECRET_KEY

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")
# The public address of the site, used in mails, PDFs, calendar files and QR pairing codes.
# Without SITE_URL: the address `make run` serves, from the HOST and PORT it listens on
# (scripts/run.sh), so that `PORT=8123 make run` links to port 8123. A wildcard address
# becomes 127.0.0.1; for phones on the network set SITE_URL to an address they can reach.
RUN_HOST = os.environ.get("HOST", "") or "127.0.0.1"
RUN_PORT = os.environ.get("PORT", "") or "8000"
WILDCARD_HOSTS = ("0.0.0.0", "::", "[::]")  # noqa: S104  (only compared, never bound)
_link_host = "127.0.0.1" if RUN_HOST in WILDCARD_HOSTS else RUN_HOST
if ":" in _link_host and not _link_host.startswith("["):
    _link_host = f"[{_link_host}]"  # an IPv6 address in a URL
SITE_URL = (os.environ.get("SITE_URL", "") or f"http://{_link_host}:{RUN_PORT}").rstrip("/")

INSTALLED_APPS = [
    # First, so that its admin/base_site.html overrides the admin's own.
    "events_platform",
    # Before the admin, whose registration/ templates would otherwise win over ours.
    "accounts",
    "dataprotection",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "fairs",
    "ticketing",
    "checkin",
    "notifications",
    "figures",
    "surveys",
    "programmes",
    "leads",
    "applications",
    "workspace",
]

MIDDLEWARE = [
    # First, so every log line of the request (and the tasks it queues) carries its id.
    "infra.observability.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Pages behind a secret link: no Referer, no indexing, no caching (secret_links.py).
    "infra.secret_links.SecretLinkMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A NUL byte in the address gets a 400 before any view or query (input_limits.py);
    # after the user and messages middleware, which its page's template reads.
    "infra.input_limits.RejectNulMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # A lost database connection in a view is a 503 with Retry-After (db_unavailable.py).
    "infra.db_unavailable.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "config.urls"
# `{{ field.as_field_group }}` renders KERN UX's label, hint, error and input.
FORM_RENDERER = "events_platform.forms_rendering.KernFormRenderer"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "events_platform.context_processors.navigation",
            ],
        },
    },
]

# Database: SQLite by default, PostgreSQL when DATABASE_URL is set.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    # Persistent connections are checked before a request reuses them, so the first request
    # after a database restart gets a fresh connection instead of an error.
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
    }
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Django's backend with a health check that needs no round trip (infra/postgresql).
        DATABASES["default"]["ENGINE"] = "infra.postgresql"
        # pg_stat_activity names the program behind each connection (web, worker, beat…),
        # for the operator who looks at a busy database and for the rush benchmark, which
        # counts the web's database CPU apart from the mail workers'.
        DATABASES["default"].setdefault("OPTIONS", {})["application_name"] = os.environ.get(
            "DATABASE_APPLICATION_NAME", database_application_name(sys.argv)
        )
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(VAR_DIR / "db.sqlite3")),
            "OPTIONS": {
                # SQLite ignores SELECT … FOR UPDATE: take the write lock when a transaction
                # starts and wait for it instead of failing with "database is locked".
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
# The statements every registration sends are prepared on PostgreSQL, planned once per
# connection (infra.rows.planned_cursor). Off for a connection pooler in transaction mode
# that cannot keep prepared statements (PgBouncer before 1.21, or without
# max_prepared_statements).
DATABASE_PREPARED_STATEMENTS = env_bool("DATABASE_PREPARED_STATEMENTS", True)
# Under pytest each run gets its own test database, broker queue and cache prefix, so
# parallel runs never collide, and the test database is a file that threads and a real
# Celery worker can share.
TEST_RUN_ID = f"{os.getpid()}" if os.environ.get("PYTEST_VERSION") else ""
if TEST_RUN_ID:
    DATABASES["default"]["TEST"] = {
        "NAME": (
            f"test_events_platform_{TEST_RUN_ID}"
            if DATABASE_URL
            else str(VAR_DIR / f"test_{TEST_RUN_ID}.sqlite3")
        )
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "events_platform:home"
LOGOUT_REDIRECT_URL = "events_platform:home"

# Text and time: German first, English complete; stored in UTC, shown in Europe/Berlin.
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "events_platform" / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Berlin"
USE_TZ = True
# British date and time formats for English (config/formats/en/formats.py).
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
if DEBUG:
    # WhiteNoise serves from the finders in development; an empty root keeps it quiet.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "frontend" / "vendor"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
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

# Cache: Redis when available (shared by all web processes, needed for rate limits),
# otherwise the local database file cache.
REDIS_URL = os.environ.get("REDIS_URL", "")
# Under pytest-xdist each worker (gw0, gw1, ...) also gets a Redis database of its own, the
# URL's number plus the worker's, so a test that empties the cache empties only its own.
# Processes a test starts without PYTEST_VERSION are handed this REDIS_URL by the test.
if TEST_RUN_ID and REDIS_URL and os.environ.get("PYTEST_XDIST_WORKER", "").startswith("gw"):
    _scheme, _, _rest = REDIS_URL.partition("://")
    _address, _, _db = _rest.partition("/")
    _number, _query, _options = _db.partition("?")
    _number = int(_number or 0) + int(os.environ["PYTEST_XDIST_WORKER"][2:])
    REDIS_URL = f"{_scheme}://{_address}/{_number}{_query}{_options}"
CACHE_KEY_PREFIX = os.environ.get(
    "EVENTS_CACHE_KEY_PREFIX", f"test-{TEST_RUN_ID}" if TEST_RUN_ID else ""
)
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
            "LOCATION": str(VAR_DIR / "cache"),
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }

# Celery: Redis when REDIS_URL is set, otherwise a broker in a local folder (zero setup).
BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL or "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    BROKER_DIR.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR),
        "data_folder_out": str(BROKER_DIR),
        "control_folder": str(BROKER_DIR / "control"),
        "processed_folder": str(BROKER_DIR),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # Redis re-delivers unacknowledged tasks after this many seconds; keep it above
        # any countdown a task is given.
        "visibility_timeout": 3600,
        "socket_connect_timeout": 3,
        "socket_timeout": 5,
    }
# Publishing must never hang a web request when the broker is down: a short timeout and
# no endless retry; the periodic sweep sends whatever was not queued.
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "UTC"
CELERY_ENABLE_UTC = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_DEFAULT_QUEUE = os.environ.get(
    "CELERY_TASK_DEFAULT_QUEUE", f"test-{TEST_RUN_ID}" if TEST_RUN_ID else "celery"
)

# Mail: the console by default; SMTP when EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Veranstaltungen <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # JSON nested too deeply is a 400, pages have a maximum size (input_limits.py).
    "DEFAULT_PARSER_CLASSES": [
        "infra.input_limits.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "infra.input_limits.BoundedLimitOffsetPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "events_platform.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "events_platform API",
    "DESCRIPTION": "Public calendar, exhibitors, registrations and check-in.",
    "VERSION": "1.0.0",
    # Documents the framework's error answers (400/401/403/404) on every operation.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.openapi.document_error_responses",
    ],
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    # Swagger UI and Redoc come from drf-spectacular-sidecar's static files, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a `kind` and a `status`: name the core event's choice sets.
    "ENUM_NAME_OVERRIDES": {
        "EventKindEnum": "events_platform.models.Event.Kind",
        "EventStatusEnum": "events_platform.models.Event.Status",
        "RegistrationKindEnum": "ticketing.models.Registration.Kind",
        "RegistrationStatusEnum": "ticketing.models.Registration.Status",
        # A company's sector and a job offer's field of work are one list of sectors.
        "SectorEnum": "fairs.models.Sector",
    },
}

# Security. Production (DJANGO_DEBUG=false) turns on HTTPS-only cookies and HSTS.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
if env_bool("DJANGO_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Health checks from a load balancer come over plain HTTP on the internal network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "media-src": ["'self'", "blob:"],
        "worker-src": ["'self'", "blob:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # request_id, task_id and task_name on every record (infra/observability.py).
    "filters": {
        "request_id": {"()": "infra.observability.RequestIdFilter"},
        # Secret links (tickets, feeds, unsubscribe…) are masked in every line.
        "mask_secrets": {"()": "infra.logmask.SecretMaskFilter"},
        # A refused scan at the door (409) is an answer, not a warning.
        "door_answers": {"()": "checkin.logfilters.DoorAnswersFilter"},
    },
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s %(request_id)s %(task_id)s %(task_name)s",
            # ISO 8601 in UTC, whatever the process's local zone.
            "timestamp": "time",
            "rename_fields": {"levelname": "level", "name": "logger"},
        },
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": os.environ.get("LOG_FORMAT", "plain"),
            "filters": ["request_id", "mask_secrets"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Django's default config gives these their own handlers (unformatted, unmasked):
        # everything goes through the console handler above instead.
        "django": {"handlers": [], "propagate": True},
        "django.server": {"handlers": [], "propagate": True},
        "django.request": {"handlers": [], "propagate": True, "filters": ["door_answers"]},
    },
}

# --- Messages (notifications app): the outbox and its sweep --------------------------------
# A worker that claimed a message and died leaves it "sending"; after this many seconds the
# sweep sends it again (that one mail may then arrive twice).
NOTIFICATIONS_LEASE_SECONDS = int(os.environ.get("NOTIFICATIONS_LEASE_SECONDS", "300"))
# A queued message whose task was handed to the broker this long ago is handed over again.
NOTIFICATIONS_REPUBLISH_SECONDS = int(os.environ.get("NOTIFICATIONS_REPUBLISH_SECONDS", "600"))
# A worker holds the queued rows of the batch it took and renews the hold while sending;
# a hold this old (the worker died) is handed over again without the republish delay.
NOTIFICATIONS_HOLD_SECONDS = int(os.environ.get("NOTIFICATIONS_HOLD_SECONDS", "60"))
# Celery workers write a heartbeat every WORKER_HEARTBEAT_INTERVAL seconds; /healthz?deep=1
# answers 503 when the newest is older than READINESS_WORKER_MAX_AGE or beat's last tick is
# older than READINESS_BEAT_MAX_AGE (infra/heartbeat.py).
WORKER_HEARTBEAT_INTERVAL = float(os.environ.get("WORKER_HEARTBEAT_INTERVAL", "15"))
READINESS_WORKER_MAX_AGE = float(os.environ.get("READINESS_WORKER_MAX_AGE", "60"))
READINESS_BEAT_MAX_AGE = float(os.environ.get("READINESS_BEAT_MAX_AGE", "180"))
# Temporary SMTP failures (4xx, lost connection): backoff from BASE doubling up to MAX,
# failed for good after MAX_ATTEMPTS.
NOTIFICATIONS_RETRY_BASE_SECONDS = int(os.environ.get("NOTIFICATIONS_RETRY_BASE_SECONDS", "60"))
NOTIFICATIONS_RETRY_MAX_SECONDS = int(os.environ.get("NOTIFICATIONS_RETRY_MAX_SECONDS", "3600"))
NOTIFICATIONS_MAX_ATTEMPTS = int(os.environ.get("NOTIFICATIONS_MAX_ATTEMPTS", "8"))
# Messages per send task (one SMTP connection each).
NOTIFICATIONS_BATCH_SIZE = int(os.environ.get("NOTIFICATIONS_BATCH_SIZE", "50"))
# With Redis, one send task per burst of transactions: the key that says a task is on its
# way lives this long unless the task renews it (notifications/outbox.py::wake).
NOTIFICATIONS_WAKE_MS = int(os.environ.get("NOTIFICATIONS_WAKE_MS", "2000"))
# Not from the environment (tests and benchmarks override them): after a failed hand-over
# to the broker, web processes skip publishing for BROKER_BACKOFF seconds (the sweep sends
# later); a retry due within COUNTDOWN_MAX seconds is handed to the broker with a countdown,
# a later one is left to the sweep; marking a sent message retries after these delays; one
# sweep looks at most SWEEP_LIMIT messages.
NOTIFICATIONS_BROKER_BACKOFF_SECONDS = 10
NOTIFICATIONS_COUNTDOWN_MAX_SECONDS = 300
NOTIFICATIONS_MARK_SENT_RETRY_DELAYS = (1, 2, 4, 8, 15)
NOTIFICATIONS_SWEEP_LIMIT = 20000

# --- Observability (infra/observability.py, metrics.py) ------------------------
# /metrics for a Prometheus scraper that sends this bearer token; without it, no endpoint.
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
SECURE_REDIRECT_EXEMPT += [r"^metrics$"]
# Error reports to Sentry when SENTRY_DSN is set (no personal data is sent).
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    from infra.observability import init_sentry

    init_sentry(
        dsn=SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", ""),
        release=os.environ.get("SENTRY_RELEASE", ""),
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )

# --- Password reset (accounts/password_reset.py) ----------------------------------
# Seconds a password-reset link stays valid (Django's setting). Default: one day.
PASSWORD_RESET_TIMEOUT = int(os.environ.get("PASSWORD_RESET_TIMEOUT", "86400"))
# Reset requests per e-mail address and per client IP within the window (seconds).
PASSWORD_RESET_LIMIT_PER_EMAIL = int(os.environ.get("PASSWORD_RESET_LIMIT_PER_EMAIL", "3"))
PASSWORD_RESET_LIMIT_PER_IP = int(os.environ.get("PASSWORD_RESET_LIMIT_PER_IP", "20"))
PASSWORD_RESET_WINDOW_SECONDS = int(os.environ.get("PASSWORD_RESET_WINDOW_SECONDS", "3600"))

# --- Data protection (dataprotection/subject_requests.py, retention tasks) ---------------
# How long the link to a person's data (sent by e-mail from "Your data") stays valid.
DATA_REQUEST_LINK_HOURS = int(os.environ.get("DATA_REQUEST_LINK_HOURS", "24"))
# Link requests per e-mail address and per client IP within an hour.
DATA_REQUEST_LIMIT_PER_EMAIL = int(os.environ.get("DATA_REQUEST_LIMIT_PER_EMAIL", "3"))
DATA_REQUEST_LIMIT_PER_IP = int(os.environ.get("DATA_REQUEST_LIMIT_PER_IP", "20"))
# Camp medical notes and emergency contacts are erased this many days after the camp ends.
TICKETING_MEDICAL_NOTES_RETENTION_DAYS = int(
    os.environ.get("TICKETING_MEDICAL_NOTES_RETENTION_DAYS", "7")
)
# Stand bookings (business records, HGB § 257 / AO § 147) are kept this many years after the
# end of the fair's calendar year; then the people in them are anonymised.
FAIRS_BOOKING_RETENTION_YEARS = int(os.environ.get("FAIRS_BOOKING_RETENTION_YEARS", "6"))
# Mentors, mentees and companies' contacts in a programme are erased this many months after
# the programme's last day (programmes/retention.py).
PROGRAMMES_RETENTION_MONTHS = int(os.environ.get("PROGRAMMES_RETENTION_MONTHS", "6"))
# Applications to job offers (applications/pdfcheck.py): the CV and the cover letter are PDFs
# of at most this many bytes and pages each.
APPLICATIONS_MAX_PDF_BYTES = int(os.environ.get("APPLICATIONS_MAX_PDF_BYTES", str(5 * 1024 * 1024)))
APPLICATIONS_MAX_PDF_PAGES = int(os.environ.get("APPLICATIONS_MAX_PDF_PAGES", "20"))

# --- Abuse limits of the visitor side and the door (ticketing/ratelimit.py, checkin/api.py) -
# Registrations per client IP and per e-mail address: (attempts, window in seconds); a
# school's network puts many pupils behind one address. Tests and benchmarks override it.
TICKETING_RATE_LIMITS = {"ip": (60, 600), "email": (10, 3600)}
# Invalid (forged, unreadable or unknown) codes one door device may send per minute.
CHECKIN_INVALID_SCAN_LIMIT = 30
# Applications to job offers per client IP and per e-mail address: (attempts, seconds).
APPLICATIONS_RATE_LIMITS = {"ip": (30, 3600), "email": (10, 3600)}

"""Settings for Kota Cerdas Cirebon.

Everything that differs between a laptop and the city's server comes from
environment variables, read through the small typed helpers below, which fail
loudly on a bad value. With nothing set you get a development site on SQLite.
Set ``KOTACERDAS_ENV=production`` on a server: it then refuses to start without
a real secret key, a database and allowed hosts.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from kotacerdas.core.env import (
    env_bool,
    env_int,
    env_list,
    env_str,
    environment,
    rate_limit_from_env,
)

BASE_DIR = Path(__file__).resolve().parent.parent


# pytest sets PYTEST_VERSION for the whole run: tests get the test settings below.
ENVIRONMENT = environment()
PRODUCTION = ENVIRONMENT == "production"

DEVELOPMENT_SECRET_KEY = "django-insecure-kotacerdas-development-only"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", "" if PRODUCTION else DEVELOPMENT_SECRET_KEY)
if PRODUCTION and (not SECRET_KEY or SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "Production needs its own SECRET_KEY (or SECRET_KEY_FILE) of at least 50 characters; "
        "the development key is refused."
    )

DEBUG = env_bool("DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production")

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Production needs ALLOWED_HOSTS (comma-separated host names)")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Addresses of our own reverse proxies (nginx on the same host: 127.0.0.1).
# Requests from them carry the client's address in X-Forwarded-For.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])

INSTALLED_APPS = [
    "kotacerdas.web",
    "kotacerdas.audit",
    "kotacerdas.regions",
    "kotacerdas.workdays",
    "kotacerdas.accounts",
    "kotacerdas.people",
    "kotacerdas.messaging",
    "kotacerdas.reports",
    "kotacerdas.posyandu",
    "kotacerdas.births",
    "kotacerdas.hospital",
    "kotacerdas.kelurahan",
    "kotacerdas.literacy",
    "kotacerdas.dashboard",
    "kotacerdas.opendata",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks_db",
]

MIDDLEWARE = [
    "kotacerdas.web.middleware.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kotacerdas.web.middleware.SessionKeepAliveMiddleware",
    "kotacerdas.web.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "kotacerdas.core.addresses.RememberServedAddressMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kotacerdas.web.middleware.NoStoreForSignedInMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "kotacerdas.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kotacerdas.urls"
WSGI_APPLICATION = "kotacerdas.wsgi.application"
ASGI_APPLICATION = "kotacerdas.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kotacerdas.web.context_processors.navigation",
                "kotacerdas.web.context_processors.citizen",
            ],
        },
    },
]

# SQLite where nothing is set (a laptop, `make run`); PostgreSQL on servers and in CI.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60 if PRODUCTION else 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the worker writes; a busy timeout
    # waits for the other process instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif PRODUCTION and "DATABASE_URL" not in os.environ and "DATABASE_URL_FILE" not in os.environ:
    raise ImproperlyConfigured("Production needs DATABASE_URL")
if PRODUCTION and DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    raise ImproperlyConfigured("Production runs on PostgreSQL: set DATABASE_URL=postgres://…")
# > 0: a psycopg pool per process, not persistent connections (docs/architecture.md).
DATABASE_POOL_SIZE = env_int("DATABASE_POOL_SIZE", 0)
# A streaming replica for reads that may be stale (kotacerdas.core.replica).
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")
REPLICA_STICKY_SECONDS = env_int("REPLICA_STICKY_SECONDS", 10)
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"]
    ) | {"TEST": {"MIRROR": "default"}, "CONN_HEALTH_CHECKS": True}
    DATABASE_ROUTERS = ["kotacerdas.core.replica.ReplicaRouter"]
    MIDDLEWARE.insert(1, "kotacerdas.core.replica.PrimaryAfterWriteMiddleware")
# Values bound on the server and statements prepared: psycopg prepares a
# statement the second time a connection runs it, and PostgreSQL then plans it
# once per connection instead of on every request (a third of PostgreSQL's CPU
# on a booking was planning; docs/architecture.md). Off for a pooler that
# cannot keep prepared statements (PgBouncer in transaction mode before 1.21).
DATABASE_PREPARED_STATEMENTS = env_bool("DATABASE_PREPARED_STATEMENTS", True)
for _db in DATABASES.values():
    if DATABASE_PREPARED_STATEMENTS and _db["ENGINE"].endswith("postgresql"):
        _db["OPTIONS"] = {
            **_db.get("OPTIONS", {}),
            "server_side_binding": True,
            "prepare_threshold": 2,
        }
    if DATABASE_POOL_SIZE > 0 and _db["ENGINE"].endswith("postgresql"):
        _pool = {"min_size": 1, "max_size": DATABASE_POOL_SIZE, "timeout": 10}
        _db.update({"CONN_MAX_AGE": 0, "OPTIONS": {**_db.get("OPTIONS", {}), "pool": _pool}})

# The cache, and with it the one rate limiter (kotacerdas.core.limits), is shared
# by every process and machine: the database cache by default (its table is made
# by web's migration 0002, so `migrate` is all a new site needs), Django's own
# Redis backend when REDIS_URL is set. A per-process cache would multiply every
# limit by the number of workers.
CACHE_TABLE = "kotacerdas_cache"
REDIS_URL = env_str("REDIS_URL", "")
CACHES = {
    "default": (
        {  # KEY_PREFIX: sites (or test runs) sharing one Redis keep apart.
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", ""),
        }
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": CACHE_TABLE,
            # Past MAX_ENTRIES the database cache deletes a third of its rows,
            # live counters included: set it well above the clients of an hour.
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 100_000)},
        }
    )
}

# Public pages served from the shared cache for a few seconds (kotacerdas.core.pagecache):
# a change shows on them within this many seconds. 0 turns a page's cache off.
PAGE_CACHE_SECONDS = {
    "beds": env_int("PAGE_CACHE_BEDS_SECONDS", 5),
    "certificate_verification": env_int("PAGE_CACHE_VERIFICATION_SECONDS", 5),
    "wifi_points": env_int("PAGE_CACHE_WIFI_SECONDS", 5),
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:my-work"  # staff land on what waits for them
LOGOUT_REDIRECT_URL = "web:home"

# Staff sessions end after 30 minutes without a request (an RW computer is shared).
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60)
# Not written on every request (an UPDATE and a commit per page): the session is
# written again once its last write is SESSION_TOUCH_SECONDS old
# (web.middleware.SessionKeepAliveMiddleware), so idle sessions end after
# SESSION_COOKIE_AGE minus at most that.
SESSION_SAVE_EVERY_REQUEST = False
# Django's database sessions, read and touched with one statement each (web/sessions.py).
SESSION_ENGINE = "kotacerdas.web.sessions"
SESSION_TOUCH_SECONDS = env_int("SESSION_TOUCH_SECONDS", 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# The audit sequencer (audit/sequencer.py) chains an event within this many
# seconds of its commit; audit_verify reports events waiting longer.
AUDIT_CHAIN_DELAY_SECONDS = env_int("AUDIT_CHAIN_DELAY_SECONDS", 2)
# Processes audit_verify walks the chain with on PostgreSQL (1: one process,
# reading ahead on a second connection).
AUDIT_VERIFY_WORKERS = env_int("AUDIT_VERIFY_WORKERS", 2)

# Lock-out after repeated failed sign-ins (django-axes).
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("LOGIN_LOCKOUT_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "kotacerdas.web.views.locked_out"
AXES_VERBOSE = False
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

OTP_TOTP_ISSUER = "Kota Cerdas Cirebon"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
# Indonesian unless the person chose English with the header's switch (never
# the browser's Accept-Language: kotacerdas.web.middleware.ChosenLanguageMiddleware);
# the choice is kept for a year.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
LOCALE_PATHS = [BASE_DIR / "kotacerdas" / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Background work: the database queue (django-tasks-db) served by `manage.py
# db_worker`; tests run tasks immediately.
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        # Outbound SMS have a queue and workers of their own (db_worker
        # --queue-name sms): a slow gateway never delays inbound routing.
        "QUEUES": ["default", "sms"],
    }
}

# Security headers. CSP: scripts only from our own origin or with the page's nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {
        "no_identity_numbers": {"()": "kotacerdas.core.logs.RedactIdentityNumbers"},
        # django.tasks logs two lines per task at INFO: thousands an hour from SMS
        # alone. Its level alone does not hold: db_worker sets it from --verbosity.
        "no_task_progress": {
            "()": "kotacerdas.core.logs.AtLeast",
            "levels": {"django.tasks": "WARNING"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["no_task_progress"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django gives its logger a console handler of its own under DEBUG; with
        # the root's, every line of runserver and the worker came out twice.
        "django": {"handlers": []},
        "axes": {"level": "WARNING"},
        "django.tasks": {"level": "WARNING"},
        # Font subsetting (WeasyPrint's certificates) logs a hundred lines a PDF at INFO.
        "fontTools": {"level": "WARNING"},
        # They log request paths, where a client may have put a NIK.
        "django.request": {"filters": ["no_identity_numbers"]},
        "django.server": {"filters": ["no_identity_numbers"]},
    },
}

# The file operators read when a kelurahan needs another city's region list.
REGIONS_FILE = BASE_DIR / "kotacerdas" / "regions" / "data" / "kota-cirebon.csv"

# SMS. SMS_ADAPTER picks the gateway that sends: file (development), kannel,
# gammu or webhook; each receives through its own entry point.
SMS_ADAPTER = env_str("SMS_ADAPTER", "file")
SMS_FILE_PATH = Path(env_str("SMS_FILE_PATH", str(BASE_DIR / "var" / "sms-outbox.jsonl")))
# The secret part of the URLs gateways post inbound messages and delivery
# reports to (/sms/<adapter>/<token>/…); required in production.
SMS_INBOUND_TOKEN = env_str("SMS_INBOUND_TOKEN", "" if PRODUCTION else "dev-inbound-token")
if PRODUCTION and SMS_ADAPTER != "file" and len(SMS_INBOUND_TOKEN) < 24:
    raise ImproperlyConfigured("SMS_INBOUND_TOKEN must be a random string of 24+ characters")
# Gateways may post inbound messages only from these addresses.
SMS_INBOUND_ALLOWED_IPS = env_list("SMS_INBOUND_ALLOWED_IPS", ["127.0.0.1", "::1"])
if (
    PRODUCTION
    and SMS_ADAPTER == "kannel"
    and {"127.0.0.1", "::1"} & set(SMS_INBOUND_ALLOWED_IPS)
    and not TRUSTED_PROXIES
):
    # Behind a proxy on this host every request comes from 127.0.0.1: the
    # allow-list would let anyone post as Kannel.
    raise ImproperlyConfigured(
        "Kannel is allowed from loopback: set TRUSTED_PROXIES (e.g. 127.0.0.1) so requests "
        "through the reverse proxy carry their real address"
    )
SMS_SENDER = env_str("SMS_SENDER", "1717")  # our short code or number [verify with the operator]
SMS_MAX_ATTEMPTS = env_int("SMS_MAX_ATTEMPTS", 5)
SMS_RETRY_SECONDS = env_int("SMS_RETRY_SECONDS", 30)  # doubled after each failure
SMS_STALE_SECONDS = env_int("SMS_STALE_SECONDS", 120)
SMS_DUPLICATE_SECONDS = env_int("SMS_DUPLICATE_SECONDS", 10)
# Messages one worker routes (inbound) or takes to send (outbound) at a time.
SMS_ROUTE_BATCH = env_int("SMS_ROUTE_BATCH", 50)
SMS_SEND_BATCH = env_int("SMS_SEND_BATCH", 50)
# How long a message being sent belongs to the worker that took it: longer
# than a batch of gateway calls can take (Kannel 5 s, webhook 15 s timeout).
# A worker that dies mid-call leaves its messages to be sent again after it.
SMS_SEND_LEASE_SECONDS = env_int("SMS_SEND_LEASE_SECONDS", 120)
# Calls a sending worker makes to an HTTP gateway (Kannel, webhook) at once,
# each from a thread of its own (messaging.outbox); 1: one after the other.
SMS_SEND_CONCURRENCY = max(1, env_int("SMS_SEND_CONCURRENCY", 8))
# The same for a batch of inbound messages being routed.
SMS_ROUTE_LEASE_SECONDS = env_int("SMS_ROUTE_LEASE_SECONDS", 60)
# Kannel: smsbox's sendsms interface, and the base URL Kannel reaches us on
# for delivery reports.
KANNEL_SENDSMS_URL = env_str("KANNEL_SENDSMS_URL", "http://127.0.0.1:13013/cgi-bin/sendsms")
KANNEL_USERNAME = env_str("KANNEL_USERNAME", "kotacerdas")
KANNEL_PASSWORD = env_str("KANNEL_PASSWORD", "")
KANNEL_SMSC = env_str("KANNEL_SMSC", "")
# Empty in development: the address the site is actually served on (core.addresses).
SMS_CALLBACK_BASE_URL = env_str(
    "SMS_CALLBACK_BASE_URL", "http://127.0.0.1:8000" if PRODUCTION else ""
)
# gammu-smsd: the database its SQL backend writes (inbox/outbox tables).
GAMMU_DATABASE_URL = env_str("GAMMU_DATABASE_URL", "")
# A commercial provider's HTTP API: JSON out, HMAC-SHA256-signed JSON in.
SMS_WEBHOOK_URL = env_str("SMS_WEBHOOK_URL", "")
SMS_WEBHOOK_SECRET = env_str("SMS_WEBHOOK_SECRET", "")
if PRODUCTION and SMS_ADAPTER == "webhook" and len(SMS_WEBHOOK_SECRET) < 24:
    # Without it every inbound call is refused and nothing can be sent.
    raise ImproperlyConfigured("SMS_ADAPTER=webhook needs SMS_WEBHOOK_SECRET (24+ characters)")
# The one rate limiter (kotacerdas.core.limits): name -> (count, window in seconds).
# Every limit of the platform is listed here; each can be set from the
# environment as RATE_LIMIT_<NAME>=count/seconds.
RATE_LIMITS: dict[str, tuple[int, int]] = {}


def rate_limit(name: str, count: int, seconds: int) -> None:
    RATE_LIMITS[name] = rate_limit_from_env(name, count, seconds)


HOUR = 3600
# The older variables (counts only) still work as the default of their limit.
# Outbound SMS to one number (stops a loop or an abuser flooding someone's phone).
rate_limit("sms_out_per_number", env_int("SMS_MAX_PER_NUMBER_PER_HOUR", 10), HOUR)
# Citizen sign-in codes asked for one number, and from one address.
rate_limit("otp_per_number", env_int("OTP_MAX_PER_NUMBER", 3), 15 * 60)
rate_limit("otp_per_address", env_int("OTP_MAX_PER_ADDRESS", 10), HOUR)
# Wadul Bae reports from one device, from one phone number, from one Open311 app
# (an app files for many citizens from one server).
rate_limit("wadul_reports_per_device", env_int("WADUL_MAX_PER_HOUR", 5), HOUR)
rate_limit("wadul_reports_per_phone", env_int("WADUL_MAX_PER_HOUR", 5), HOUR)
rate_limit("open311_reports_per_app", env_int("OPEN311_MAX_PER_HOUR", 200), HOUR)
# Tracking-code look-ups (web, SMS CEK and Open311) per device: a code is a
# key, and guessing must not pay.
rate_limit("wadul_lookups", env_int("WADUL_LOOKUPS_PER_HOUR", 30), HOUR)
# Cirebon Lengko's kiosk, per device: codes that match no booking, and all check-ins.
rate_limit("kiosk_unknown_codes", env_int("HOSPITAL_KIOSK_UNKNOWN_PER_HOUR", 20), HOUR)
rate_limit("kiosk_attempts", env_int("HOSPITAL_KIOSK_ATTEMPTS_PER_HOUR", 300), HOUR)
# Cirebon Lengko by SMS (DAFTAR, BATAL, ANTRI), per sending number: a patient
# books, checks and cancels a few times a day; codes tried one after another
# stop here.
rate_limit("hospital_sms_commands", env_int("HOSPITAL_SMS_COMMANDS_PER_HOUR", 10), HOUR)
# Register look-ups outside the user's own area (a protection officer linking a
# NIK to a case; an RW operator's form or import hitting a NIK or No. KK
# registered elsewhere), per user. An officer adds three or four people to a
# case and rarely handles more than a few cases an hour; an operator meets a
# number from another area only when someone moved. 30 an hour covers both and
# stops a walk through the register (at most 720 a day of ~340,000 people).
# A decision for DP3A and Disdukcapil: docs/operations.md.
rate_limit("register_lookup", 30, HOUR)


# Citizen sign-in codes.
OTP_CODE_MINUTES = env_int("OTP_CODE_MINUTES", 5)
OTP_MAX_ATTEMPTS = env_int("OTP_MAX_ATTEMPTS", 5)


# The working-day calendar (kotacerdas.workdays): the ISO weekdays that are
# never working days (6 = Saturday, 7 = Sunday). A city with a Saturday
# service sets WORKDAYS_WEEKEND=7.
def _weekend(raw: list[str]) -> frozenset[int]:
    try:
        days = frozenset(int(day) for day in raw)
    except ValueError:
        days = frozenset({0})
    if not days <= set(range(1, 8)) or len(days) > 6:
        raise ImproperlyConfigured(
            f"WORKDAYS_WEEKEND={','.join(raw)!r}: list ISO weekdays 1 (Monday) to 7 (Sunday)"
        )
    return days


WORKDAYS_WEEKEND = _weekend(env_list("WORKDAYS_WEEKEND", ["6", "7"]))

# Each service's own settings (Wadul Bae, E-Posyandu, births, the register's
# statistics, Lengko, Melet, the dashboard, the letters): kotacerdas/settings_services.py.
from kotacerdas.settings_services import (  # noqa: E402, F401
    BIRTHS_AKTA_FORMAT,
    BIRTHS_CITY_CODE,
    BIRTHS_CLAIM_MAX_ATTEMPTS,
    BIRTHS_CRUDE_BIRTH_RATE,
    BIRTHS_DUPLICATE_DAYS,
    BIRTHS_LATE_AFTER_DAYS,
    BIRTHS_MAX_DOCUMENTS_PER_DECLARATION,
    BIRTHS_MAX_DOCUMENTS_PER_KIND,
    BIRTHS_MAX_OPEN_DRAFTS_PER_CITIZEN,
    BIRTHS_MAX_UPLOAD_BYTES,
    BIRTHS_POPULATION,
    BIRTHS_PUBLIC_BASE_URL,
    BIRTHS_REGISTRY_UNIT_CODE,
    BIRTHS_SIGNATORY_TITLE,
    DASHBOARD_SMALL_COUNT,
    DASHBOARD_SMALL_COUNT_SPECIFIC,
    DASHBOARD_SPECIFIC_DATA_APPS,
    DASHBOARD_STOCK_FIGURES,
    DASHBOARD_YEARS,
    HOSPITAL_BOOKING_CUTOFF_MINUTES,
    HOSPITAL_BOOKING_DAYS,
    HOSPITAL_BPJS_TOKEN,
    HOSPITAL_CHECKIN_BEFORE_MINUTES,
    HOSPITAL_CLOSED_ON,
    HOSPITAL_MAX_ACTIVE_BOOKINGS_PER_CITIZEN,
    HOSPITAL_MAX_BOOKINGS_PER_CITIZEN_PER_DAY,
    HOSPITAL_REFRESH_SECONDS,
    HOSPITAL_REMINDER_DAY_BEFORE_HOUR,
    HOSPITAL_REMINDER_MINUTES_BEFORE,
    HOSPITAL_UNIT_CODE,
    KELURAHAN_ADDRESS,
    KELURAHAN_BSRE,
    KELURAHAN_BSRE_SIGNERS,
    KELURAHAN_LETTERHEAD,
    KELURAHAN_NUMBER_FORMAT,
    KELURAHAN_NUMBER_SCOPE,
    KELURAHAN_PUBLIC_BASE_URL,
    LITERACY_DEVICE_KEY,
    LITERACY_DEVICE_KEY_VERSION,
    LITERACY_DKIS_UNIT_CODE,
    LITERACY_FUTURE_TOLERANCE_MINUTES,
    LITERACY_INDEX_MIN_COUNT,
    LITERACY_PUBLIC_BASE_URL,
    LITERACY_TILE_ATTRIBUTION,
    LITERACY_TILE_URL,
    OPENDATA_SEARCH_MAX_ROWS,
    OPENDATA_SMALL_COUNT,
    OPENDATA_SMALL_COUNT_SPECIFIC,
    OPENDATA_SPECIFIC_DATA_APPS,
    OPENDATA_STOCK_FIGURES,
    OPENDATA_YEARS,
    POPULATION_PUBLIC_MIN_COUNT,
    POSYANDU_ANAEMIA_HB,
    POSYANDU_BGM_Z,
    POSYANDU_DINKES_UNIT_CODE,
    POSYANDU_DROP_KG,
    POSYANDU_DROP_PERCENT,
    POSYANDU_KEK_LILA_CM,
    POSYANDU_LENHEI_MAX_CM,
    POSYANDU_LENHEI_MIN_CM,
    POSYANDU_OVERDUE_DAYS,
    POSYANDU_REMINDER_DAYS_BEFORE,
    POSYANDU_SHRINK_CM,
    POSYANDU_SKDN_CACHE_SECONDS,
    POSYANDU_SKDN_MONTHS,
    POSYANDU_WEIGHT_MAX_KG,
    SERVICE_RATE_LIMITS,
    WADUL_ACTION_DAYS,
    WADUL_MAX_STORY,
    WADUL_UNIT_CODE,
    WADUL_VERIFY_DAYS,
)

RATE_LIMITS.update(SERVICE_RATE_LIMITS)
# WeasyPrint logs every rendering step at INFO.
LOGGING["loggers"]["weasyprint"] = {"level": "WARNING"}  # type: ignore[index]

if ENVIRONMENT == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Sending threads have database connections of their own, outside a test's
    # transaction: tests that send in parallel ask for it (transaction=True).
    SMS_SEND_CONCURRENCY = 1
    TASKS = {
        "default": {
            "BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "sms"],
        }
    }

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

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    """A string from the environment, or from the file named by NAME_FILE."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={path} cannot be read: {exc}") from exc
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use true or false)")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


# pytest sets PYTEST_VERSION for the whole run: tests get the test settings below.
ENVIRONMENT = os.environ.get("KOTACERDAS_ENV") or (
    "test" if "PYTEST_VERSION" in os.environ else "development"
)
if ENVIRONMENT not in {"development", "test", "production"}:
    raise ImproperlyConfigured(
        f"KOTACERDAS_ENV={ENVIRONMENT!r}: use development, test or production"
    )
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
for _db in DATABASES.values():
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
SESSION_TOUCH_SECONDS = env_int("SESSION_TOUCH_SECONDS", 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# The audit sequencer (audit/sequencer.py) chains an event within this many
# seconds of its commit; audit_verify reports events waiting longer.
AUDIT_CHAIN_DELAY_SECONDS = env_int("AUDIT_CHAIN_DELAY_SECONDS", 2)

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
    value = env_str(f"RATE_LIMIT_{name.upper()}", f"{count}/{seconds}")
    try:
        got_count, got_seconds = (int(part) for part in value.split("/"))
    except ValueError:
        raise ImproperlyConfigured(f"RATE_LIMIT_{name.upper()} must be count/seconds") from None
    RATE_LIMITS[name] = (got_count, got_seconds)


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

# Wadul Bae: the protection unit (Unit code) that receives reports, and the
# working-day deadlines [verify with DP3A]; its flood limits are above.
WADUL_UNIT_CODE = env_str("WADUL_UNIT_CODE", "dp3a")
WADUL_VERIFY_DAYS = env_int("WADUL_VERIFY_DAYS", 3)
WADUL_ACTION_DAYS = env_int("WADUL_ACTION_DAYS", 5)
WADUL_MAX_STORY = env_int("WADUL_MAX_STORY", 5000)

# E-Posyandu. Dinkes is the Unit whose health officers see the whole city.
POSYANDU_DINKES_UNIT_CODE = env_str("POSYANDU_DINKES_UNIT_CODE", "dinkes")
# BGM (bawah garis merah): weight-for-age z below this [verify the KMS red line with Dinkes].
POSYANDU_BGM_Z = float(env_str("POSYANDU_BGM_Z", "-3"))
# Hard limits of the entry form: outside them a value is refused, not warned about.
# Length/height: the span of the WHO weight-for-length (45 cm) and -height (120 cm) tables.
POSYANDU_WEIGHT_MAX_KG = env_int("POSYANDU_WEIGHT_MAX_KG", 40)
POSYANDU_LENHEI_MIN_CM = env_int("POSYANDU_LENHEI_MIN_CM", 45)
POSYANDU_LENHEI_MAX_CM = env_int("POSYANDU_LENHEI_MAX_CM", 120)
# Against the previous visit: a weight down by more than this many kg or this
# percentage, or a length/height down by more than the measuring error (cm), is
# measured again or confirmed, like a WHO flag [verify all three with Dinkes].
POSYANDU_DROP_KG = float(env_str("POSYANDU_DROP_KG", "1"))
POSYANDU_DROP_PERCENT = float(env_str("POSYANDU_DROP_PERCENT", "10"))
POSYANDU_SHRINK_CM = float(env_str("POSYANDU_SHRINK_CM", "1"))
# A dose is overdue this many days after its due date [verify].
POSYANDU_OVERDUE_DAYS = env_int("POSYANDU_OVERDUE_DAYS", 28)
# Immunisation reminders go out this many days before posyandu day.
POSYANDU_REMINDER_DAYS_BEFORE = env_int("POSYANDU_REMINDER_DAYS_BEFORE", 2)
# SKDN: months shown side by side.
POSYANDU_SKDN_MONTHS = env_int("POSYANDU_SKDN_MONTHS", 6)
# Anaemia in pregnancy below this Hb (g/dL), KEK below this LiLA (cm) [verify].
POSYANDU_ANAEMIA_HB = float(env_str("POSYANDU_ANAEMIA_HB", "11"))
POSYANDU_KEK_LILA_CM = float(env_str("POSYANDU_KEK_LILA_CM", "23.5"))
# A citizen links the account to the register by a NIK (whose record must carry
# the account's number) before acting for anyone: NIKs tried per account an hour.
# POSYANDU_MOTHER_LINK_ATTEMPTS_PER_HOUR is the older name of the count.
rate_limit("citizen_link", env_int("POSYANDU_MOTHER_LINK_ATTEMPTS_PER_HOUR", 5), 3600)
# Brojol Aja Klalen (births) [verify each with Disdukcapil Kota Cirebon].
# Certificate codes typed on the public verification page that match none, per
# address an hour: each is also compared with near codes ("check the code").
rate_limit("birth_code_unknown", env_int("BIRTHS_UNKNOWN_CODES_PER_HOUR", 30), HOUR)
# The Disdukcapil unit whose registrars work the queues (Unit code).
BIRTHS_REGISTRY_UNIT_CODE = env_str("BIRTHS_REGISTRY_UNIT_CODE", "disdukcapil")
# UU 24/2013 Pasal 27: 60 days; some local pages say 60 working days.
BIRTHS_LATE_AFTER_DAYS = env_int("BIRTHS_LATE_AFTER_DAYS", 60)
# Akta number: {city} kab/kota code, {kind} LU (on time) or LT (late),
# {date} registration date DDMMYYYY, {number} the day's running number.
BIRTHS_AKTA_FORMAT = env_str("BIRTHS_AKTA_FORMAT", "{city}-{kind}-{date}-{number:04d}")
BIRTHS_CITY_CODE = env_str("BIRTHS_CITY_CODE", "3274")
# Uploaded documents: largest file accepted.
BIRTHS_MAX_UPLOAD_BYTES = env_int("BIRTHS_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
# Uploads and drafts cannot fill the disk: documents kept per declaration
# (and per kind of document), drafts a citizen may have open at once.
BIRTHS_MAX_DOCUMENTS_PER_DECLARATION = env_int("BIRTHS_MAX_DOCUMENTS_PER_DECLARATION", 20)
BIRTHS_MAX_DOCUMENTS_PER_KIND = env_int("BIRTHS_MAX_DOCUMENTS_PER_KIND", 3)
BIRTHS_MAX_OPEN_DRAFTS_PER_CITIZEN = env_int("BIRTHS_MAX_OPEN_DRAFTS_PER_CITIZEN", 3)
# Wrong NIKs a citizen may enter when claiming a staff-started report before
# it locks (staff then send it again).
BIRTHS_CLAIM_MAX_ATTEMPTS = env_int("BIRTHS_CLAIM_MAX_ATTEMPTS", 5)
# Deduplication: same mother NIK with a child born within this many days.
BIRTHS_DUPLICATE_DAYS = env_int("BIRTHS_DUPLICATE_DAYS", 5)
# Completeness: expected births = population × crude birth rate (per 1,000 a year).
BIRTHS_POPULATION = env_int("BIRTHS_POPULATION", 341_980)

# Public population statistics (/statistik-penduduk/) hide counts from 1 to this
# minus one, and one more where a single hidden count could be rebuilt from a total.
POPULATION_PUBLIC_MIN_COUNT = env_int("POPULATION_PUBLIC_MIN_COUNT", 5)
BIRTHS_CRUDE_BIRTH_RATE = float(env_str("BIRTHS_CRUDE_BIRTH_RATE", "15.2"))
# The address printed in the certificate's QR (the public verification page).
# A certificate outlives any server move, so production must name it: https only.
# Empty in development: the address the site is actually served on (core.addresses).
BIRTHS_PUBLIC_BASE_URL = env_str("BIRTHS_PUBLIC_BASE_URL", "")
if PRODUCTION and not BIRTHS_PUBLIC_BASE_URL.startswith("https://"):
    raise ImproperlyConfigured(
        "Production needs BIRTHS_PUBLIC_BASE_URL=https://… (printed in every birth certificate's QR)"
    )
# Name and title printed as the signing official on certificates.
BIRTHS_SIGNATORY_TITLE = env_str(
    "BIRTHS_SIGNATORY_TITLE", "Kepala Dinas Kependudukan dan Pencatatan Sipil Kota Cirebon"
)
# WeasyPrint logs every rendering step at INFO.
LOGGING["loggers"]["weasyprint"] = {"level": "WARNING"}  # type: ignore[index]
# Cirebon Lengko (RSD Gunung Jati outpatient booking and beds). The hospital
# (Unit code); booking opens this many days ahead (Jati Isun: H-14) and closes
# this many minutes before a session starts; the kiosk checks in from this many
# minutes before the session until its end; reminders go out the day before
# (after the hour below) and this many minutes before the estimated time.
# Every figure [verify] with the hospital's registration unit.
HOSPITAL_UNIT_CODE = env_str("HOSPITAL_UNIT_CODE", "rsd-gunung-jati")
HOSPITAL_BOOKING_DAYS = env_int("HOSPITAL_BOOKING_DAYS", 14)
HOSPITAL_BOOKING_CUTOFF_MINUTES = env_int("HOSPITAL_BOOKING_CUTOFF_MINUTES", 60)
HOSPITAL_CHECKIN_BEFORE_MINUTES = env_int("HOSPITAL_CHECKIN_BEFORE_MINUTES", 120)
HOSPITAL_REMINDER_DAY_BEFORE_HOUR = env_int("HOSPITAL_REMINDER_DAY_BEFORE_HOUR", 16)
HOSPITAL_REMINDER_MINUTES_BEFORE = env_int("HOSPITAL_REMINDER_MINUTES_BEFORE", 60)
# Which kinds of day off in the city calendar close the outpatient clinics
# (national, cuti_bersama, local); the hospital records closures of its own on
# top at /lengko/jadwal/. [verify] with the hospital whether clinics open on
# cuti bersama (the SKB asks hospitals to keep services running).
HOSPITAL_CLOSED_ON = env_list("HOSPITAL_CLOSED_ON", ["national", "cuti_bersama", "local"])
_unknown_kinds = set(HOSPITAL_CLOSED_ON) - {"national", "cuti_bersama", "local"}
if _unknown_kinds:
    raise ImproperlyConfigured(
        f"HOSPITAL_CLOSED_ON: unknown kinds {sorted(_unknown_kinds)} (use national, cuti_bersama, local)"
    )
# Seconds between refreshes of the queue displays and the public bed page.
HOSPITAL_REFRESH_SECONDS = env_int("HOSPITAL_REFRESH_SECONDS", 5)
# The token Mobile JKN (or the hospital's bridge) sends as x-token to the
# BPJS-Antrean-shaped endpoints; empty: those endpoints refuse every call.
HOSPITAL_BPJS_TOKEN = env_str("HOSPITAL_BPJS_TOKEN", "")
# The public kiosk, per device address and hour: booking codes that match no
# booking (someone guessing), and all check-in attempts (a real kiosk in the
# hall checks in perhaps 100 patients an hour at the morning peak) [verify].
# Online booking limits per signed-in citizen (counter bookings are not capped):
# active bookings (booked or checked in, today or later) at one time, and
# bookings made in one day, cancelled and rescheduled ones included, so that
# book-then-cancel loops stay bounded [verify].
HOSPITAL_MAX_ACTIVE_BOOKINGS_PER_CITIZEN = env_int("HOSPITAL_MAX_ACTIVE_BOOKINGS_PER_CITIZEN", 3)
HOSPITAL_MAX_BOOKINGS_PER_CITIZEN_PER_DAY = env_int("HOSPITAL_MAX_BOOKINGS_PER_CITIZEN_PER_DAY", 6)

# Cirebon Melet (literacy): WiFi points and digital-literacy classes.
# The DKIS unit (Unit code) whose WiFi officers and read-only members see every point.
LITERACY_DKIS_UNIT_CODE = env_str("LITERACY_DKIS_UNIT_CODE", "dkis")
# Map tiles of the public WiFi page; the list of points shows without them.
LITERACY_TILE_URL = env_str("LITERACY_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
LITERACY_TILE_ATTRIBUTION = env_str(
    "LITERACY_TILE_ATTRIBUTION", "&copy; OpenStreetMap contributors"
)
# The key of the keyed hash (HMAC-SHA256) that replaces MAC addresses and RADIUS
# user names on import; kept outside the database. A new key starts a new
# version: distinct-device counts hold within one key version only.
LITERACY_DEVICE_KEY = env_str("LITERACY_DEVICE_KEY", "" if PRODUCTION else "melet-development-key")
LITERACY_DEVICE_KEY_VERSION = env_int("LITERACY_DEVICE_KEY_VERSION", 1)
if PRODUCTION and len(LITERACY_DEVICE_KEY) < 32:
    raise ImproperlyConfigured(
        "Production needs LITERACY_DEVICE_KEY (or LITERACY_DEVICE_KEY_FILE) of 32+ characters"
    )
# Accounting rows dated later than now plus this many minutes are refused (a NAS clock gone wrong).
LITERACY_FUTURE_TOLERANCE_MINUTES = env_int("LITERACY_FUTURE_TOLERANCE_MINUTES", 10)
# Down reports for one point from one address an hour (a prank cannot flood DKIS).
rate_limit("wifi_down_reports", env_int("LITERACY_DOWN_REPORTS_PER_HOUR", 3), HOUR)
# The city dashboard (docs/dashboard.md): counts 1 … threshold-1 hidden from readers
# without detail; higher for specific data (health, children: UU 27/2022).
DASHBOARD_SMALL_COUNT = env_int("DASHBOARD_SMALL_COUNT", 5)
DASHBOARD_SMALL_COUNT_SPECIFIC = env_int("DASHBOARD_SMALL_COUNT_SPECIFIC", 11)
DASHBOARD_SPECIFIC_DATA_APPS = env_list(
    "DASHBOARD_SPECIFIC_DATA_APPS", ["reports", "hospital", "births", "posyandu"]
)
# Counts of what stands on a day: a year shows their last month, not a sum.
DASHBOARD_STOCK_FIGURES = env_list(
    "DASHBOARD_STOCK_FIGURES",
    [
        "posyandu.children_under_five",
        "hospital.free_beds",
        "web.residents",
        "web.residents_by_age",
    ],
)
DASHBOARD_YEARS = env_int("DASHBOARD_YEARS", 3)  # years offered and rebuilt nightly
# Cirebon Sedulur letters [verify with Bagian Pemerintahan, Diskominfo]: see docs/kelurahan.md.
KELURAHAN_NUMBER_FORMAT = env_str(
    "KELURAHAN_NUMBER_FORMAT", "[kode]/[nomor,3]/[kode kelurahan]/[bulan romawi]/[tahun]"
)
KELURAHAN_NUMBER_SCOPE = env_str("KELURAHAN_NUMBER_SCOPE", "type")  # or letters, shared
KELURAHAN_PUBLIC_BASE_URL = env_str("KELURAHAN_PUBLIC_BASE_URL", "")  # in every letter's QR
_https = KELURAHAN_PUBLIC_BASE_URL.startswith("https://") or not PRODUCTION
if KELURAHAN_NUMBER_SCOPE not in ("type", "letters", "shared") or not _https:
    raise ImproperlyConfigured("KELURAHAN_NUMBER_SCOPE or KELURAHAN_PUBLIC_BASE_URL is wrong")
KELURAHAN_LETTERHEAD = env_str("KELURAHAN_LETTERHEAD", "PEMERINTAH KOTA CIREBON")
KELURAHAN_ADDRESS = env_str("KELURAHAN_ADDRESS", "Kantor Kelurahan {kelurahan}, Kota Cirebon")
KELURAHAN_BSRE = {  # BSrE TTE; no URL: printed and signed by hand
    "url": env_str("KELURAHAN_BSRE_URL"),
    "user": env_str("KELURAHAN_BSRE_USER"),
    "password": env_str("KELURAHAN_BSRE_PASSWORD"),
    "passphrase": env_str("KELURAHAN_BSRE_PASSPHRASE"),
}
KELURAHAN_BSRE_SIGNERS = env_list("KELURAHAN_BSRE_SIGNERS", [])  # "<kelurahan code>=<NIK>,…"
rate_limit("letter_verify", env_int("KELURAHAN_VERIFY_PER_HOUR", 600), HOUR)
rate_limit("letter_sms_status", env_int("KELURAHAN_SMS_STATUS_PER_HOUR", 10), HOUR)

if ENVIRONMENT == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    TASKS = {
        "default": {
            "BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "sms"],
        }
    }

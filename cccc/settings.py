"""Settings for the whole installation, read from the environment.

Development (DEBUG=true) runs on embedded defaults: SQLite, console email, Celery tasks
in-process, fixed development keys. With DEBUG off nothing secret has a default: the app
refuses to start until every production variable in `.env.example` is set.
"""

import os
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

# Values that only a development machine may fall back on. They are public (they are in this
# file), so production must never use them.
_DEV_DEFAULTS = {
    "SECRET_KEY": "dev-only-insecure-secret-key-never-use-in-production-0123456789",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "DATABASE_URL": f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
    # Key ring: comma-separated "key-id:urlsafe-base64(32 bytes)", newest first.
    "FIELD_ENCRYPTION_KEYS": "dev1:ZGV2LW9ubHktbWFzdGVyLWtleS0zMi1ieXRlcyEhISE=",
    "BLIND_INDEX_KEY": "dev-only-blind-index-key",
    "AUDIT_HMAC_KEY": "dev-only-audit-chain-key",
}
_REQUIRED_IN_PRODUCTION = (
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "FIELD_ENCRYPTION_KEYS",
    "BLIND_INDEX_KEY",
    "AUDIT_HMAC_KEY",
    "CELERY_BROKER_URL",
)

if not DEBUG:
    _missing = [name for name in _REQUIRED_IN_PRODUCTION if not env.str(name, default="")]
    if _missing:
        raise ImproperlyConfigured(
            "Refusing to start with DEBUG off: these environment variables are not set: "
            + ", ".join(_missing)
            + ". See .env.example for what each one is."
        )

    # A copied .env.example, or a development key pasted into production, would run the
    # installation on keys anyone can read in this repository.
    # A key ring's entries are compared by key, whatever id they are filed under.
    def _secrets(value: str) -> set[str]:
        return {part.strip().rpartition(":")[2] for part in value.split(",")}

    _published = [
        name
        for name in ("SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY", "AUDIT_HMAC_KEY")
        if "change-me" in env.str(name) or _secrets(env.str(name)) & _secrets(_DEV_DEFAULTS[name])
    ]
    if _published:
        raise ImproperlyConfigured(
            "Refusing to start with DEBUG off: these secrets still hold a published "
            "placeholder or development value: " + ", ".join(_published) + ". Generate real "
            "ones as .env.example explains."
        )


def _setting(name: str) -> str:
    return env.str(name, default=_DEV_DEFAULTS[name] if DEBUG else "")


SECRET_KEY = _setting("SECRET_KEY")
ALLOWED_HOSTS = [h.strip() for h in _setting("ALLOWED_HOSTS").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- Encryption (SPEC §4) -------------------------------------------------------------------
FIELD_ENCRYPTION_KEYS = _setting("FIELD_ENCRYPTION_KEYS")
BLIND_INDEX_KEY = _setting("BLIND_INDEX_KEY")
AUDIT_HMAC_KEY = _setting("AUDIT_HMAC_KEY")
# How long database backups are kept: a retired master key stays in the operator's archive
# this long after its retirement, then may be deleted (manage.py master_key_archive).
BACKUP_RETENTION_DAYS = env.int("BACKUP_RETENTION_DAYS", default=30)
if not DEBUG:
    from cccc.crypto import parse_key_ring

    parse_key_ring(FIELD_ENCRYPTION_KEYS)  # a malformed ring stops the start, with its reason
    for _name in ("BLIND_INDEX_KEY", "AUDIT_HMAC_KEY"):
        if len(env.str(_name)) < 32:
            raise ImproperlyConfigured(f"{_name} must be at least 32 characters of random data.")

# --- Applications ---------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "bootstrap",  # django-bootstrap-static: Bootstrap 5 served from our own static files
    "cccc",
    "families",
    "volunteers",
    "disclosures",
    "retention",
    "overview",  # pages that bring several apps together: no app imports it
    "tools",  # benchmarks and demo data: depends on every app, nothing depends on it
]

MIDDLEWARE = [
    "cccc.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cccc.middleware.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cccc.middleware.MembershipMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "cccc.otp_middleware.OTPMiddleware",  # django-otp's, the device read by primary key
    "cccc.middleware.SessionLifetimeMiddleware",
    "cccc.middleware.TwoFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes must be last: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cccc.urls"
WSGI_APPLICATION = "cccc.wsgi.application"
ASGI_APPLICATION = "cccc.asgi.application"

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
                "cccc.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {"default": env.db_url_config(_setting("DATABASE_URL"))}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60 if not DEBUG else 0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No just-in-time compiling: it starts on any statement estimated above jit_above_cost,
    # and on a page's statement (a busy centre's quarterly figures) it cost 29 ms of compiling
    # for 20 ms of work. Options given in DATABASE_URL (?options=...) are kept as given.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Users and login ------------------------------------------------------------------------
AUTH_USER_MODEL = "cccc.User"
AUTHENTICATION_BACKENDS = [
    # Axes first, so a locked-out username and address never reaches the password check.
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend, plus the volunteers' DBS and agreement gate (CHI-4.7, CHE-8).
    "volunteers.auth.VolunteerGateBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=3 * 24 * 3600)
# Reset requests (cccc.auth_views): at most this many per address, and per client address,
# in a window; beyond them the page answers the same and sends nothing.
PASSWORD_RESET_LIMIT_PER_ADDRESS = env.int("PASSWORD_RESET_LIMIT_PER_ADDRESS", default=3)
PASSWORD_RESET_LIMIT_PER_CLIENT = env.int("PASSWORD_RESET_LIMIT_PER_CLIENT", default=20)
PASSWORD_RESET_WINDOW_SECONDS = 3600
# The address links in emails sent by tasks point at (no request to take it from).
SITE_URL = env.str(
    "SITE_URL",
    default="http://127.0.0.1:8000" if DEBUG else f"https://{(ALLOWED_HOSTS or ['localhost'])[0]}",
).rstrip("/")

# Throttling (django-axes): lock the pair (username, address), never a username alone (anyone
# could lock a coordinator out) nor an address alone (a shared office would lock everyone out).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False
# No per-sign-in rows holding the email and address: cccc.audit keeps the project's own log,
# and these would outlive a volunteer's destroyed record (SPEC §8).
AXES_DISABLE_ACCESS_LOG = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
# Reverse proxies in front of the app (cccc/client_ip.py): 0 means X-Forwarded-For is ignored.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if os.environ.get("AXES_IPWARE_PROXY_COUNT"):
    # The earlier name, which never took effect (not a setting, so not in .env.example): left
    # in place, the count would be 0, every sign-in behind the proxy would share one address,
    # and one person could lock a user out for everyone.
    raise ImproperlyConfigured(
        "AXES_IPWARE_PROXY_COUNT is now TRUSTED_PROXY_COUNT: rename it in the environment."
    )
AXES_CLIENT_IP_CALLABLE = "cccc.client_ip.client_ip"

# Two-factor (django-otp TOTP) is required for these roles; see cccc.middleware.
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Contact centre admin")
TWO_FACTOR_ROLES = ("coordinator", "chair", "operator")

# Sessions: idle timeout and absolute lifetime, both enforced server-side.
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_ABSOLUTE_LIFETIME = env.int("SESSION_ABSOLUTE_LIFETIME", default=12 * 3600)
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT
# A session is written only when it changed; the idle clock moves once a minute
# (cccc.middleware.SessionLifetimeMiddleware), which also renews the expiry in the database.
SESSION_SAVE_EVERY_REQUEST = False
# Messages (which may name a member of staff) are kept in the server-side session, never in
# a signed but readable cookie.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Security headers -----------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_HTTPONLY = True
if env.bool("SECURE_PROXY_SSL_HEADER", default=False):
    # Only behind a proxy that sets X-Forwarded-Proto itself (see docker-compose.yml).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# No inline script or style anywhere: every script and stylesheet is a file we serve.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # Bootstrap's own CSS draws form controls with data: SVGs.
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
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

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Email ----------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url(
    "EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25"
)
vars().update(EMAIL_CONFIG)
# Seconds to wait for the mail server before a try counts as failed (the task tries again).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="no-reply@contact-centre.invalid")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_SUBJECT_PREFIX = "[Contact centre] "
# The network safeguarding contact: told of an exception when a centre has no active chair.
SAFEGUARDING_CONTACT_EMAIL = env.str("SAFEGUARDING_CONTACT_EMAIL", default="")

# --- Cache: throttle counters (cccc.throttle), sessions ------------------------------------------
# Every web process must see the same counters: in production, Redis (.env.example).
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "cccc.redis_cache.RedisCache"  # one client, not one a call
# Sessions live in the database. With a cache every web process shares (Redis), each session
# is also kept there and read from there: one query fewer on every signed-in request (issue
# 22). Written to both, deleted from both (logout, cccc.session_store); the cache entry expires
# with the session. A cache local to one process would keep a session another process ended,
# so without a shared cache sessions are read from the database only.
_PROCESS_LOCAL_CACHES = ("LocMemCache", "DummyCache")
SESSION_ENGINE = (
    "django.contrib.sessions.backends.db"
    if CACHES["default"]["BACKEND"].endswith(_PROCESS_LOCAL_CACHES)
    else "django.contrib.sessions.backends.cached_db"
)

# --- Celery ---------------------------------------------------------------------------------
# Without a broker (the embedded default) tasks run in-process, at once.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "UTC"
CELERY_ENABLE_UTC = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The one schedule of the installation, in UTC. Entries are added by the apps' issues.
CELERY_BEAT_SCHEDULE: dict = {
    # Lapsed DBS clearances withdrawn, renewal reminders at 60/30/7 days (volunteers.tasks).
    "volunteers-dbs-daily": {"task": "volunteers.dbs_daily", "schedule": crontab(hour=6, minute=0)},
}
# Reminders of tomorrow's sessions (issue 18), each sent once: to the adults who consented to
# email (families.tasks) and to the volunteers on the rota (volunteers.tasks), at 08:00 UTC.
CELERY_BEAT_SCHEDULE["families-reminders-daily"] = {
    "task": "families.reminders_daily",
    "schedule": crontab(hour=8, minute=0),
}
CELERY_BEAT_SCHEDULE["volunteers-reminders-daily"] = {
    "task": "volunteers.reminders_daily",
    "schedule": crontab(hour=8, minute=5),
}
# Retention (SPEC §8): flag records due within 30 days, then destroy the due ones
# (retention.tasks), every night at 02:30 UTC. RETENTION_BEAT_EVERY_SECONDS and
# RETENTION_QUEUE exist for the test that drives a real beat and worker; leave them unset.
_retention_every = env.int("RETENTION_BEAT_EVERY_SECONDS", default=0)
_retention_queue = env.str("RETENTION_QUEUE", default="")
CELERY_BEAT_SCHEDULE["retention-nightly"] = {
    "task": "retention.nightly",
    "schedule": (
        timedelta(seconds=_retention_every) if _retention_every > 0 else crontab(hour=2, minute=30)
    ),
    **({"options": {"queue": _retention_queue}} if _retention_queue else {}),
}

# --- Time and language ----------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Logging: never personal data; request paths carry IDs only -----------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's error mails would carry request bodies (POST data); we never send them.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}
ADMINS: list = []

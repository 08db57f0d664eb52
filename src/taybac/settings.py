"""Django settings, configured from the environment (see README "Configuration")."""
from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(os.environ.get("TAYBAC_DATA_DIR", Path.cwd() / "var")).resolve()
DEBUG = _env_bool("TAYBAC_DEBUG", False)
# The demo key is only acceptable for local demo runs; production must set TAYBAC_SECRET_KEY.
SECRET_KEY = os.environ.get("TAYBAC_SECRET_KEY", "taybac-insecure-demo-key-change-me")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("TAYBAC_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("TAYBAC_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]
# Under /api/v1/ a CSRF refusal is the API's JSON error; elsewhere Django's page.
CSRF_FAILURE_VIEW = "taybac.api.errors.csrf_failure"
# Public base URL, used in GS1 Digital Link URLs and absolute links.
PUBLIC_URL = os.environ.get("TAYBAC_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # serves its bundled Swagger UI files, so /api/v1/docs needs no CDN
    "taybac.core",
    "taybac.regions",
    "taybac.accounts",
    "taybac.catalog",
    "taybac.search",
    "taybac.orders",
    "taybac.payments",
    "taybac.traceability",
    "taybac.web",
    "taybac.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "taybac.urls"
WSGI_APPLICATION = "taybac.wsgi.application"

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
                "taybac.web.context.today",
            ],
        },
    },
]

_default_db = f"sqlite:///{DATA_DIR / 'taybac.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("TAYBAC_DATABASE_URL", _default_db), conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + IMMEDIATE transactions: writers queue instead of failing with "database is locked"
    # half-way through a transaction (see DESIGN.md, stock reservation). synchronous=FULL: a commit is on disk
    # before it is answered, so a power cut cannot take back a paid order or a signed checkpoint already
    # handed out (re-signing a different tree of that size would look like a split view to witnesses);
    # it costs about 0.35 ms per commit (docs/performance.md).
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
    }
    # Tests use a file, not Django's in-memory default, so concurrent checkouts in threads really compete.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test_taybac.sqlite3")}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/dang-nhap/"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("TAYBAC_MEDIA_ROOT", DATA_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Behind a reverse proxy that terminates TLS (docs/deploy.md): trust its X-Forwarded-Proto header.
if _env_bool("TAYBAC_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = _env_bool("TAYBAC_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Order e-mails (orders/notifications.py). The demo default prints them on the console; set an SMTP backend and
# EMAIL_HOST etc. in production (docs/deploy.md).
EMAIL_BACKEND = os.environ.get("TAYBAC_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("TAYBAC_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("TAYBAC_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("TAYBAC_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("TAYBAC_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("TAYBAC_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("TAYBAC_EMAIL_FROM", "Tây Bắc Hub <no-reply@taybac.invalid>")

# One-time sign-in codes: the delivery backend (dotted path). The default writes the code to the log.
TAYBAC_OTP_SENDER = os.environ.get("TAYBAC_OTP_SENDER", "taybac.accounts.otp.LogOtpSender")
TAYBAC_OTP_TTL_SECONDS = int(os.environ.get("TAYBAC_OTP_TTL_SECONDS", "300"))
# GS1 company prefix used to allocate GTINs for producers that have none. "893" is Vietnam's GS1
# prefix range; "8939999" is a placeholder (7 digits: 99,999 items), a real prefix must be licensed from GS1 Vietnam.
TAYBAC_GS1_COMPANY_PREFIX = os.environ.get("TAYBAC_GS1_COMPANY_PREFIX", "8939999")
# Name of the transparency log in its signed checkpoints (C2SP origin); empty: "<host of PUBLIC_URL>/log".
# Fixed when the signing key is first created: changing it later needs a new key (docs/traceability.md).
TAYBAC_LOG_ORIGIN = os.environ.get("TAYBAC_LOG_ORIGIN", "")
# API keys other systems send as `Authorization: Bearer <key>` to POST /api/v1/epcis/capture (empty: none).
TAYBAC_EPCIS_CAPTURE_KEYS = [k.strip() for k in os.environ.get("TAYBAC_EPCIS_CAPTURE_KEYS", "").split(",")
                             if k.strip()]
# Minutes an unpaid VietQR order keeps its stock reserved before it is cancelled.
TAYBAC_RESERVATION_MINUTES = int(os.environ.get("TAYBAC_RESERVATION_MINUTES", "60"))
# The hub's collection account (the hub collects as the marketplace's agent; docs/payments.md). The defaults
# are a demo account: set real ones in production.
TAYBAC_HUB_BANK_BIN = os.environ.get("TAYBAC_HUB_BANK_BIN", "970422")
TAYBAC_HUB_BANK_ACCOUNT = os.environ.get("TAYBAC_HUB_BANK_ACCOUNT", "0011001932418")
TAYBAC_HUB_ACCOUNT_NAME = os.environ.get("TAYBAC_HUB_ACCOUNT_NAME", "SAN TMDT TAY BAC HUB (DEMO)")
# Bank-transfer notifications: SePay's API key ("Authorization: Apikey <key>"); empty refuses every call.
TAYBAC_SEPAY_API_KEY = os.environ.get("TAYBAC_SEPAY_API_KEY", "")
# Search backend: "auto" picks FTS5 on SQLite and the PostgreSQL backend on PostgreSQL.
TAYBAC_SEARCH_BACKEND = os.environ.get("TAYBAC_SEARCH_BACKEND", "auto")
# Photos decoded at once per process (each may hold ~150 MB at the limits; others wait 5 s, then "busy").
TAYBAC_IMAGE_WORKERS = int(os.environ.get("TAYBAC_IMAGE_WORKERS", "2"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "taybac": {"handlers": ["console"], "level": os.environ.get("TAYBAC_LOG_LEVEL", "INFO")},
    },
}

"""Django settings, configured from the environment (see README "Configuration")."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_rate(name: str, default: str) -> tuple[int, int]:
    """A limit written "count/minutes" (e.g. "30/10"): at most count events in any minutes-long window."""
    raw = os.environ.get(name, default)
    try:
        count, minutes = (int(part) for part in raw.split("/"))
    except ValueError:
        raise ValueError(f'{name} must be "count/minutes", e.g. "{default}", not {raw!r}') from None
    if count < 0 or minutes <= 0:
        raise ValueError(f"{name}: count must be >= 0 (0 switches the limit off) and minutes > 0, not {raw!r}")
    return count, minutes


def _refuse_removed(name: str, instead: str) -> None:
    """Stop at start-up when a removed setting is still set, rather than silently ignore what it asked for."""
    if os.environ.get(name, "").strip():
        raise ImproperlyConfigured(f"{name} was removed: {instead}.")


def _listen_url(host: str, port: str) -> str:
    """The URL of the address the server listens on; a wildcard address (all interfaces) is named by this
    machine's address on its network, so a phone on the same Wi-Fi can open the links and scan the QR codes."""
    host = host.strip() or "127.0.0.1"
    if host in {"0.0.0.0", "::", "[::]"}:
        host = _network_address()
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 address in a URL
    return f"http://{host}:{int(port)}"


def _network_address() -> str:
    """This machine's address on its network (the route a packet would take; none is sent), else loopback."""
    import socket

    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: only picks the outgoing interface
            return str(probe.getsockname()[0])
    except OSError:
        return "127.0.0.1"


def _url_host(url: str) -> str:
    from urllib.parse import urlsplit

    host = urlsplit(url).hostname or ""
    return f"[{host}]" if ":" in host else host  # Django writes IPv6 hosts in brackets


DATA_DIR = Path(os.environ.get("TAYBAC_DATA_DIR", Path.cwd() / "var")).resolve()
DEBUG = _env_bool("TAYBAC_DEBUG", False)
# The demo key is only acceptable for local demo runs; production must set TAYBAC_SECRET_KEY.
SECRET_KEY = os.environ.get("TAYBAC_SECRET_KEY", "taybac-insecure-demo-key-change-me")
# Sellers' identity numbers are encrypted with this key (base64 of 32 bytes). Unset (dev, tests, demo) it is
# derived from SECRET_KEY; `manage.py check --deploy` warns about that (accounts/identity_crypto.py).
IDENTITY_KEY = os.environ.get("TAYBAC_IDENTITY_KEY", "")
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("TAYBAC_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]
# Under /api/v1/ a CSRF refusal is the API's JSON error; elsewhere Django's page.
CSRF_FAILURE_VIEW = "taybac.api.errors.csrf_failure"
# Public base URL, used in QR codes, GS1 Digital Link URLs, SMS links and the transparency log's name. Unset, it is
# where `taybac demo`/`serve` listens: the CLI puts --host/--port in TAYBAC_HOST/TAYBAC_PORT before this is read.
PUBLIC_URL = (
    os.environ.get("TAYBAC_PUBLIC_URL", "").strip()
    or _listen_url(os.environ.get("TAYBAC_HOST", "127.0.0.1"), os.environ.get("TAYBAC_PORT", "8000"))
).rstrip("/")
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("TAYBAC_ALLOWED_HOSTS", f"127.0.0.1,localhost,testserver,{_url_host(PUBLIC_URL)}").split(
        ","
    )
    if h.strip()
]

INSTALLED_APPS = [
    "taybac.core.adminkit.HubAdminConfig",  # django.contrib.admin with Vietnamese names (core/adminkit.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",  # /sitemap.xml (web/views_site.py)
    "axes",  # password-login lockout (the operators' /quan-tri/ login)
    "ninja",  # serves its bundled Swagger UI files, so /api/v1/docs needs no CDN
    "taybac.core",
    "taybac.regions",
    "taybac.accounts",
    "taybac.catalog",
    "taybac.search",
    "taybac.orders",
    "taybac.payments",
    "taybac.traceability",
    "taybac.reviews",
    "taybac.logistics",
    "taybac.fulfilment",
    "taybac.insights",
    "taybac.campaigns",
    "taybac.assistant",
    "taybac.compliance",
    "taybac.web",
    "taybac.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "taybac.web.headers.ContentSecurityPolicyMiddleware",
    "taybac.web.headers.PermissionsPolicyMiddleware",
    "taybac.core.staticfiles.StaticFilesMiddleware",  # WhiteNoise: collected files, or the sources until then
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "taybac.web.views_share_visits.ShareVisitMiddleware",  # counts ?c= share-link visits (campaigns)
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out login into the lockout page
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


def _jobs(url: str) -> dict:
    """Huey's configuration for a job store URL (docs/jobs.md): sqlite:///PATH, postgres://... or redis://...

    Tables are created when `taybac worker`, `taybac demo` or `taybac serve` starts (core/jobs.py), not when a
    process merely imports the job runner.
    """
    common = {"name": "taybac", "results": False, "immediate": False, "utc": True}
    scheme = url.split(":", 1)[0].lower()
    if scheme == "sqlite":
        return {
            **common,
            "huey_class": "huey.SqliteHuey",
            "connection": {"filename": url.removeprefix("sqlite:///"), "create_tables": False},
        }
    if scheme in {"postgres", "postgresql"}:
        return {**common, "huey_class": "huey.PostgresHuey", "connection": {"dsn": url, "create_tables": False}}
    if scheme in {"redis", "rediss"}:
        return {**common, "huey_class": "huey.RedisHuey", "connection": {"url": url}}
    raise ValueError(f"TAYBAC_JOBS_URL: use sqlite:///PATH, postgres://... or redis://..., not {url!r}")


# Background jobs (Huey): by default in the database the hub uses, a SQLite file beside it or the same PostgreSQL
# database (tables huey_*); TAYBAC_JOBS_URL may name another store, e.g. Redis for many workers.
_default_jobs = (
    f"sqlite:///{DATA_DIR / 'jobs.sqlite3'}"
    if DATABASES["default"]["ENGINE"].endswith("sqlite3")
    else os.environ.get("TAYBAC_DATABASE_URL", "")
)
HUEY = _jobs(os.environ.get("TAYBAC_JOBS_URL", _default_jobs))

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out username+address before checking
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
# CSS, JS and icons: `collectstatic` (run by `taybac demo` and `taybac serve` at start, by the release step in
# production: docs/deploy.md) writes them with a content hash in their names, gzip-compressed beside them, and
# WhiteNoise serves those with a one-year immutable cache. Until something has been collected (the test suite, a
# checkout that never ran `collectstatic`), the source files are served as they are, under their plain names.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "taybac.core.staticfiles.HashedStaticStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG  # and while nothing is collected (core/staticfiles.py)
WHITENOISE_AUTOREFRESH = DEBUG
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Behind a reverse proxy that terminates TLS (docs/deploy.md): trust its X-Forwarded-Proto header.
TAYBAC_BEHIND_PROXY = _env_bool("TAYBAC_BEHIND_PROXY", False)
# Proxies whose X-Forwarded-For entries are believed (addresses or networks); the client is the rightmost
# address that is not one of them (core/client_address.py). Only read when TAYBAC_BEHIND_PROXY is set.
TAYBAC_TRUSTED_PROXIES = [
    p.strip() for p in os.environ.get("TAYBAC_TRUSTED_PROXIES", "127.0.0.1,::1").split(",") if p.strip()
]
if TAYBAC_BEHIND_PROXY:
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

# Text messages (one-time codes and order messages) go through the outbox (core/outbox.py, docs/jobs.md) to this
# SMS sender: a dotted path to a class with send(*, phone, text). The default writes them to the log (demo).
TAYBAC_SMS_SENDER = os.environ.get("TAYBAC_SMS_SENDER", "taybac.core.senders.LogSmsSender")
# Set by `taybac demo`: log lines show whole phone numbers (made-up ones); elsewhere they are masked.
TAYBAC_DEMO = _env_bool("TAYBAC_DEMO", False)
_refuse_removed(
    "TAYBAC_OTP_SENDER",
    "it was replaced by TAYBAC_SMS_SENDER (a class with send(*, phone, text)), which now sends one-time codes and "
    "order messages alike",
)
# Outbox retries: a message that fails is tried again after RETRY_SECONDS, doubling each time up to
# RETRY_MAX_SECONDS, and is marked failed (visible in the admin) after MAX_ATTEMPTS tries in all.
TAYBAC_OUTBOX_MAX_ATTEMPTS = int(os.environ.get("TAYBAC_OUTBOX_MAX_ATTEMPTS", "8"))
TAYBAC_OUTBOX_RETRY_SECONDS = int(os.environ.get("TAYBAC_OUTBOX_RETRY_SECONDS", "60"))
TAYBAC_OUTBOX_RETRY_MAX_SECONDS = int(os.environ.get("TAYBAC_OUTBOX_RETRY_MAX_SECONDS", "3600"))
TAYBAC_OTP_TTL_SECONDS = int(os.environ.get("TAYBAC_OTP_TTL_SECONDS", "300"))
# Sign-in code limits, "count/minutes" (docs/security.md). Codes per phone number; per client network (IPv4
# address or IPv6 /64), sized for carrier-grade NAT where a whole town's phones share one address (signing in
# is never needed to browse or buy); for the whole hub (caps the SMS bill); wrong codes per network.
TAYBAC_OTP_LIMIT_PHONE = _env_rate("TAYBAC_OTP_LIMIT_PHONE", "5/60")
TAYBAC_OTP_LIMIT_ADDRESS = _env_rate("TAYBAC_OTP_LIMIT_ADDRESS", "30/10")
TAYBAC_OTP_LIMIT_GLOBAL = _env_rate("TAYBAC_OTP_LIMIT_GLOBAL", "300/10")
TAYBAC_OTP_WRONG_LIMIT_ADDRESS = _env_rate("TAYBAC_OTP_WRONG_LIMIT_ADDRESS", "60/10")
# Wrong tries one code allows before a new one must be asked for.
TAYBAC_OTP_ATTEMPTS_PER_CODE = int(os.environ.get("TAYBAC_OTP_ATTEMPTS_PER_CODE", "5"))

# Password logins (the operators' admin at /quan-tri/): django-axes locks a username *from one address* after
# this many failures, for the cool-off time, so a shared (NATed) address cannot lock an operator out elsewhere.
AXES_FAILURE_LIMIT = int(os.environ.get("TAYBAC_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("TAYBAC_LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "taybac.core.client_address.client_ip"
AXES_LOCKOUT_TEMPLATE = "web/lockout.html"
AXES_DISABLE_ACCESS_LOG = True  # successful logins are not kept (buyers sign in by code; the audit log suffices)
AXES_VERBOSE = False

# Content-Security-Policy (django-csp; web/headers.py adds the admin's and the API docs' small exceptions).
# No inline script anywhere; the one inline style that depends on data (label sheets) carries a nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", NONCE],  # the nonce appears only on pages that use one
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        **({"report-uri": [os.environ["TAYBAC_CSP_REPORT_URI"]]} if os.environ.get("TAYBAC_CSP_REPORT_URI") else {}),
    },
}
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
# Features no page needs are off; the seller's lot page reads the phone's GPS (geolocation on our origin only).
TAYBAC_PERMISSIONS_POLICY = os.environ.get(
    "TAYBAC_PERMISSIONS_POLICY",
    "geolocation=(self), camera=(), microphone=(), payment=(), usb=(), serial=(), "
    "magnetometer=(), gyroscope=(), accelerometer=(), display-capture=()",
)
# GS1 company prefix used to allocate GTINs for producers that have none. "893" is Vietnam's GS1
# prefix range; "8939999" is a placeholder (7 digits: 99,999 items), a real prefix must be licensed from GS1 Vietnam.
TAYBAC_GS1_COMPANY_PREFIX = os.environ.get("TAYBAC_GS1_COMPANY_PREFIX", "8939999")
# Name of the transparency log in its signed checkpoints (C2SP origin); empty: "<host of PUBLIC_URL>/log".
# Fixed when the signing key is first created: changing it later needs a new key (docs/traceability.md).
TAYBAC_LOG_ORIGIN = os.environ.get("TAYBAC_LOG_ORIGIN", "")
# Partners' EPCIS capture keys are rows now (hashed, scoped to producers, revocable: `taybac capture_key`).
_refuse_removed(
    "TAYBAC_EPCIS_CAPTURE_KEYS",
    "create one key per partner with `taybac capture_key create --name … --producer <id>` and unset the variable",
)
# Minutes an unpaid VietQR order keeps its stock reserved before it is cancelled.
TAYBAC_RESERVATION_MINUTES = int(os.environ.get("TAYBAC_RESERVATION_MINUTES", "60"))
# The hub's collection account (the hub collects as the marketplace's agent; docs/payments.md). The defaults
# are a demo account: set real ones in production.
TAYBAC_HUB_BANK_BIN = os.environ.get("TAYBAC_HUB_BANK_BIN", "970422")
TAYBAC_HUB_BANK_ACCOUNT = os.environ.get("TAYBAC_HUB_BANK_ACCOUNT", "0011001932418")
TAYBAC_HUB_ACCOUNT_NAME = os.environ.get("TAYBAC_HUB_ACCOUNT_NAME", "SAN TMDT TAY BAC HUB (DEMO)")
# Bank-transfer notifications: SePay's API key ("Authorization: Apikey <key>"); empty refuses every call.
TAYBAC_SEPAY_API_KEY = os.environ.get("TAYBAC_SEPAY_API_KEY", "")
# The assistant's chat channels (docs/assistant.md, "Zalo and Messenger"): a webhook answers only when its secrets
# are set (else 404); replies are sent with the access tokens. The API URLs are for tests and proxies.
TAYBAC_ZALO_APP_ID = os.environ.get("TAYBAC_ZALO_APP_ID", "")
TAYBAC_ZALO_OA_SECRET = os.environ.get("TAYBAC_ZALO_OA_SECRET", "")
TAYBAC_ZALO_OA_ACCESS_TOKEN = os.environ.get("TAYBAC_ZALO_OA_ACCESS_TOKEN", "")
TAYBAC_ZALO_API_URL = os.environ.get("TAYBAC_ZALO_API_URL", "https://openapi.zalo.me")
TAYBAC_MESSENGER_APP_SECRET = os.environ.get("TAYBAC_MESSENGER_APP_SECRET", "")
TAYBAC_MESSENGER_VERIFY_TOKEN = os.environ.get("TAYBAC_MESSENGER_VERIFY_TOKEN", "")
TAYBAC_MESSENGER_PAGE_TOKEN = os.environ.get("TAYBAC_MESSENGER_PAGE_TOKEN", "")
TAYBAC_MESSENGER_API_URL = os.environ.get("TAYBAC_MESSENGER_API_URL", "https://graph.facebook.com/v23.0")
# Search backend: "auto" picks FTS5 on SQLite and the PostgreSQL backend on PostgreSQL.
TAYBAC_SEARCH_BACKEND = os.environ.get("TAYBAC_SEARCH_BACKEND", "auto")
# Where security researchers report vulnerabilities, served as RFC 9116 /.well-known/security.txt (docs/security.md):
# comma-separated e-mail addresses or https:// URLs. Empty: no security.txt (404), never a placeholder.
TAYBAC_SECURITY_CONTACT = [c.strip() for c in os.environ.get("TAYBAC_SECURITY_CONTACT", "").split(",") if c.strip()]
# Photos decoded at once per process (each may hold ~150 MB at the limits; others wait 5 s, then "busy").
TAYBAC_IMAGE_WORKERS = int(os.environ.get("TAYBAC_IMAGE_WORKERS", "2"))
# The operator's legal information in every page's footer (Decree 52/2013/NĐ-CP art. 29, as amended by Decree
# 85/2021; compliance/legal.py, docs/compliance.md). Unset, the footer shows made-up demo values marked "demo".
TAYBAC_OPERATOR_NAME = os.environ.get("TAYBAC_OPERATOR_NAME", "")
TAYBAC_OPERATOR_REGISTRATION = os.environ.get("TAYBAC_OPERATOR_REGISTRATION", "")
TAYBAC_OPERATOR_ADDRESS = os.environ.get("TAYBAC_OPERATOR_ADDRESS", "")
TAYBAC_OPERATOR_HOTLINE = os.environ.get("TAYBAC_OPERATOR_HOTLINE", "")
TAYBAC_OPERATOR_EMAIL = os.environ.get("TAYBAC_OPERATOR_EMAIL", "")
TAYBAC_MOIT_NOTICE_URL = os.environ.get("TAYBAC_MOIT_NOTICE_URL", "")
# Personal-data retention (compliance/retention.py): search-log visit tokens, failed outbox messages.
TAYBAC_RETAIN_SEARCH_VISIT_DAYS = int(os.environ.get("TAYBAC_RETAIN_SEARCH_VISIT_DAYS", "180"))
TAYBAC_RETAIN_FAILED_MESSAGE_DAYS = int(os.environ.get("TAYBAC_RETAIN_FAILED_MESSAGE_DAYS", "90"))

# One console handler on the root logger (so a server's own logging.basicConfig adds no second one). Django's
# 4xx warnings (403 PermissionDenied, 400 SuspiciousOperation) are one line: a refused request is no bug,
# and its traceback only buries real errors; 5xx keep theirs.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "filters": {"client_errors_one_line": {"()": "taybac.web.headers.ClientErrorsOneLine"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["client_errors_one_line"]}
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "taybac": {"level": os.environ.get("TAYBAC_LOG_LEVEL", "INFO")},
        # Django's default config also prints these, but only with DEBUG and with tracebacks: root prints them.
        "django": {"level": "INFO", "handlers": []},
        "axes": {"level": "WARNING"},
        # the job runner (`taybac worker`): with a handler here, Huey's consumer does not add a second one; its
        # start and stop are told, each job's run only when it fails
        "huey": {"level": "WARNING", "handlers": ["console"], "propagate": False},
        "huey.consumer": {"level": "INFO"},
    },
}

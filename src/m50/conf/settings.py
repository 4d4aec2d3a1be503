"""Settings of the M50 platform: one module, every value from the environment.

The defaults are safe for the embedded install (SQLite under ``var/``, DEBUG off unless asked
for). Production sets ``M50_SECRET_KEY``, ``M50_ALLOWED_HOSTS`` and ``DATABASE_URL`` at least.
"""

import datetime
import os
import tempfile
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = Path(os.environ.get("M50_BASE_DIR", PACKAGE_DIR.parent.parent)).resolve()
VAR_DIR = Path(os.environ.get("M50_VAR_DIR", BASE_DIR / "var"))
DATA_DIR = Path(os.environ.get("M50_DATA_DIR", BASE_DIR / "data"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {value!r}") from exc


DEBUG = env_bool("M50_DEBUG", False)
# The embedded install is the only one allowed to run without a configured key: it is then
# marked so that `check --deploy` and the demo-account command can tell.
EMBEDDED = "M50_SECRET_KEY" not in os.environ
SECRET_KEY = os.environ.get("M50_SECRET_KEY", "embedded-insecure-key-only-for-local-use")
ALLOWED_HOSTS = env_list("M50_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("M50_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.admin",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "axes",
    "csp",
    "m50.core",
    "m50.accounts",
    "m50.municipalities",
    "m50.contacts",
    "m50.membership",
    "m50.finance",
    "m50.pillars",
    "m50.activities",
    "m50.knowledge",
    "m50.reports",
    "m50.publicaffairs",
    "m50.api",
]

MIDDLEWARE = [
    # First, so that every API response carries the version, redirects and 400s included.
    "m50.api.middleware.ApiVersionMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "m50.core.middleware.DutchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Last, so that a locked-out login is answered before the view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "m50.conf.urls"
WSGI_APPLICATION = "m50.conf.wsgi.application"

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
                "m50.core.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
SQLITE_PATH = Path(os.environ.get("M50_SQLITE_PATH", VAR_DIR / "m50.sqlite3"))
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=env_int("M50_DB_CONN_MAX_AGE", 60), conn_health_checks=True
        )
    }
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Server-side cursors only stream exports, which read every row: plan them for all
        # rows, not (the default) for the first 10 %, which picks nested loops that take
        # minutes on tables the planner has no statistics of yet.
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c cursor_tuple_fraction=1"
else:
    # SQLite cannot create its folder; the embedded install must work from a fresh checkout.
    SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            "OPTIONS": {
                # IMMEDIATE takes the write lock at BEGIN, so two writers queue on the busy
                # timeout instead of failing with "database is locked" halfway a transaction.
                "transaction_mode": "IMMEDIATE",
                "timeout": env_int("M50_SQLITE_TIMEOUT", 20),
                # The busy timeout is set by "timeout" above.
                "init_command": (
                    "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"
                ),
            },
            # A file, not memory: tests with real concurrency need SQLite's own locking. One
            # per process, so that test runs side by side do not share it.
            "TEST": {
                "NAME": os.environ.get("M50_SQLITE_TEST_PATH")
                or str(Path(tempfile.gettempdir()) / f"m50-test-{os.getpid()}.sqlite3")
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication ---------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's model backend, refusing demo accounts outside a development install.
    "m50.accounts.backends.AccountBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

AXES_FAILURE_LIMIT = env_int("M50_LOGIN_FAILURE_LIMIT", 5)
M50_LOGIN_COOLOFF_MINUTES = env_int("M50_LOGIN_COOLOFF_MINUTES", 15)
AXES_COOLOFF_TIME = M50_LOGIN_COOLOFF_MINUTES / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# The lockouts and logins are shown in Dutch by the accounts app's own admin.
AXES_ENABLE_ADMIN = False
AXES_IPWARE_PROXY_COUNT = env_int("M50_PROXY_COUNT", 0)
# Password reset by e-mail: at most this many mails per account, and requests per client
# address, per hour; the link in the mail holds for this many seconds.
M50_PASSWORD_RESET_PER_ACCOUNT = env_int("M50_PASSWORD_RESET_PER_ACCOUNT", 3)
M50_PASSWORD_RESET_PER_ADDRESS = env_int("M50_PASSWORD_RESET_PER_ADDRESS", 10)
PASSWORD_RESET_TIMEOUT = env_int("M50_PASSWORD_RESET_TIMEOUT", 60 * 60 * 24)
# The cache (the reset requests per client address) lives in the database, so every web
# process counts the same requests. Its table is made by a migration (core 0002).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "m50_cache",
    },
    # Rendered public pages for anonymous visitors (m50.core.conditional), per process: the key
    # holds the data version, so no process can serve a page older than its data.
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "m50-pages",
        "TIMEOUT": 24 * 60 * 60,  # the key holds the date: a page is not asked for the next day
        "OPTIONS": {"MAX_ENTRIES": env_int("M50_PAGE_CACHE_ENTRIES", 200)},
    },
    # Counts and totals over whole tables, per data version (m50.core.versions): small values.
    "figures": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "m50-figures",
        "TIMEOUT": 24 * 60 * 60,
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("Engels"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("M50_STATIC_ROOT", VAR_DIR / "static"))
# Uploaded files (documents of activities): outside the static root and never served by URL;
# the platform hands each one out as an attachment after checking who asks.
MEDIA_ROOT = Path(os.environ.get("M50_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": os.environ.get(
            "M50_STATICFILES_STORAGE",
            # The manifest needs `collectstatic`, which production runs at deploy time; the
            # embedded install serves straight from the apps instead.
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if EMBEDDED or DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
# Embedded install serves static files straight from the apps, without collectstatic.
WHITENOISE_USE_FINDERS = EMBEDDED or DEBUG
if WHITENOISE_USE_FINDERS:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on a missing root
WHITENOISE_AUTOREFRESH = DEBUG

# --- Security -------------------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("M50_SECURE_SSL_REDIRECT", not EMBEDDED)
SESSION_COOKIE_SECURE = env_bool("M50_SECURE_COOKIES", not EMBEDDED)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("M50_HSTS_SECONDS", 0 if EMBEDDED else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not EMBEDDED
SECURE_HSTS_PRELOAD = env_bool("M50_HSTS_PRELOAD", not EMBEDDED)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "M50_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("M50_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("M50_EMAIL_PORT", 25)
# Seconds: invoices are mailed while their number's locks are held (see finance.sending).
EMAIL_TIMEOUT = env_int("M50_EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = os.environ.get("M50_DEFAULT_FROM_EMAIL", "bureau@m50.example")

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("M50_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# --- REST API -------------------------------------------------------------------------------
API_VERSION = "1.0.0"
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "m50.api.schema.ApiAutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "m50.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["m50.api.permissions.RolePermission"],
    "DEFAULT_PAGINATION_CLASS": "m50.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "m50.api.problems.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "M50 API",
    "DESCRIPTION": "API van het M50-platform: gemeenten, netwerken en organisaties.",
    "VERSION": API_VERSION,
    "CONTACT": {
        "name": "Bureau M50",
        "email": os.environ.get("M50_API_CONTACT_EMAIL", "bureau@m50.example"),
        "url": os.environ.get("M50_API_CONTACT_URL", "https://m50.example/contact"),
    },
    "SERVERS": [{"url": os.environ.get("M50_API_SERVER_URL", "https://m50.example/api/v1")}],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SCHEMA_PATH_PREFIX_TRIM": True,
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "OAS_VERSION": "3.0.3",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "m50.api.schema.postprocess_schema",
    ],
}

# --- Domain settings ------------------------------------------------------------------------
# The band of the M50: municipalities of this size (CBS population on 1 January) may join.
# The largest CBS population file the bureau may upload in the screens (bytes), and how long
# its preview may be confirmed (seconds).
M50_CBS_UPLOAD_MAX_BYTES = env_int("M50_CBS_UPLOAD_MAX_BYTES", 1024 * 1024)
M50_CBS_PREVIEW_MAX_AGE = env_int("M50_CBS_PREVIEW_MAX_AGE", 60 * 60)
M50_BAND_MIN = env_int("M50_BAND_MIN", 30_000)
M50_BAND_MAX = env_int("M50_BAND_MAX", 80_000)
# A prospect "entered the band recently" when it crossed into it within this many years.
M50_BAND_RECENT_YEARS = env_int("M50_BAND_RECENT_YEARS", 5)
# A prospect "will enter soon" when its current trend brings it in within this many years.
M50_BAND_FORECAST_YEARS = env_int("M50_BAND_FORECAST_YEARS", 5)
# Whether a municipality may become a definitive member without an aspirant year first.
M50_MEMBERSHIP_DIRECT_ENTRY = env_bool("M50_MEMBERSHIP_DIRECT_ENTRY", False)
# No decision about membership predates the network: the M50 continues the Platform
# Middelgrote Gemeenten, active with 35 municipalities in January 2002 (its press release of
# 22 January 2002); its founding date is not known, so 1 January 2000 is a conservative bound.
M50_NETWORK_FOUNDED = datetime.date.fromisoformat(
    os.environ.get("M50_NETWORK_FOUNDED", "2000-01-01")
)
# Who hears of a new proposal besides the bureau's own accounts (comma-separated addresses).
M50_BUREAU_NOTIFY_EMAILS = env_list("M50_BUREAU_NOTIFY_EMAILS")
# Days before a mandate's deadline on which the member contact is reminded.
M50_MANDATE_REMINDER_DAYS = [int(d) for d in env_list("M50_MANDATE_REMINDER_DAYS", "60,30,7")]
# The address of the platform, for links in e-mails sent by commands (no request there).
M50_SITE_URL = os.environ.get("M50_SITE_URL", "http://127.0.0.1:8000")
# Invoicing: payment term, VAT treatment of the contribution (default: not subject to VAT,
# EN 16931 category O), pro-rata billing of the year of entry (off by default).
M50_INVOICE_DUE_DAYS = env_int("M50_INVOICE_DUE_DAYS", 30)
M50_VAT_CATEGORY = os.environ.get("M50_VAT_CATEGORY", "O")
M50_VAT_RATE = os.environ.get("M50_VAT_RATE", "0")
M50_VAT_EXEMPTION_REASON = os.environ.get(
    "M50_VAT_EXEMPTION_REASON",
    "Niet onderworpen aan btw: contributie van een netwerk van gemeenten",
)
M50_PRO_RATA_ENTRY_YEAR = env_bool("M50_PRO_RATA_ENTRY_YEAR", False)
# The year of the network's first invoices: a payment typed by hand before it is refused.
M50_FIRST_INVOICE_YEAR = env_int("M50_FIRST_INVOICE_YEAR", 2023)
# Payment reminders: a round starts this many days after the first overdue day.
M50_PAYMENT_REMINDER_DAYS = [int(d) for d in env_list("M50_PAYMENT_REMINDER_DAYS", "0,30")]
M50_FEE_CATEGORIES = env_list("M50_FEE_CATEGORIES", "standaard")
# The network as seller on its invoices.
M50_SELLER = {
    "name": os.environ.get("M50_SELLER_NAME", "Vereniging M50"),
    "address_line": os.environ.get("M50_SELLER_ADDRESS", "Postbus 50"),
    "postal_code": os.environ.get("M50_SELLER_POSTAL_CODE", "3500 AA"),
    "city": os.environ.get("M50_SELLER_CITY", "Utrecht"),
    "country": "NL",
    "kvk": os.environ.get("M50_SELLER_KVK", "00000000"),
    "vat_number": os.environ.get("M50_SELLER_VAT", ""),
    "iban": os.environ.get("M50_SELLER_IBAN", "NL91ABNA0417164300"),
    "bic": os.environ.get("M50_SELLER_BIC", "ABNANL2A"),
    "email": os.environ.get("M50_SELLER_EMAIL", "bureau@m50.example"),
}
# Bank statements: accounts of the network besides the seller's IBAN (comma-separated; a
# statement of any other account is refused), and the largest CAMT.053 file accepted.
M50_OWN_ACCOUNTS = env_list("M50_OWN_ACCOUNTS")
M50_CAMT_MAX_UPLOAD_BYTES = env_int("M50_CAMT_MAX_UPLOAD_BYTES", 64 * 1024 * 1024)
# Activities: the largest document accepted, and how many days before an activity the registered
# get a reminder (`m50 send-activity-reminders`, run hourly).
M50_ACTIVITY_DOCUMENT_MAX_BYTES = env_int("M50_ACTIVITY_DOCUMENT_MAX_BYTES", 20 * 1024 * 1024)
M50_ACTIVITY_REMINDER_DAYS = [int(d) for d in env_list("M50_ACTIVITY_REMINDER_DAYS", "7,1")]
# Knowledge library: the largest document accepted (PDF, DOCX, ODT), and how long (seconds) the
# reading of its text may take before the file is kept as not searchable.
M50_KNOWLEDGE_DOCUMENT_MAX_BYTES = env_int("M50_KNOWLEDGE_DOCUMENT_MAX_BYTES", 20 * 1024 * 1024)
M50_KNOWLEDGE_EXTRACT_SECONDS = env_int("M50_KNOWLEDGE_EXTRACT_SECONDS", 20)
# The council memo's house templates (DOCX): where they are kept (outside the static root,
# handed out only by the platform), the largest file, and what it may unpack to at most.
M50_MEMO_TEMPLATE_DIR = Path(
    os.environ.get("M50_MEMO_TEMPLATE_DIR", MEDIA_ROOT / "huisstijlsjablonen")
)
M50_MEMO_TEMPLATE_MAX_BYTES = env_int("M50_MEMO_TEMPLATE_MAX_BYTES", 2 * 1024 * 1024)
M50_MEMO_TEMPLATE_MAX_UNPACKED_BYTES = env_int(
    "M50_MEMO_TEMPLATE_MAX_UNPACKED_BYTES", 20 * 1024 * 1024
)

# The Tweede Kamer's open data (``m50 sync-tweedekamer``): the OData service, and the pause
# between two requests (its conditions allow the bandwidth per address to be limited).
M50_TWEEDEKAMER_API_URL = os.environ.get(
    "M50_TWEEDEKAMER_API_URL", "https://gegevensmagazijn.tweedekamer.nl/OData/v4/2.0/"
)
M50_TWEEDEKAMER_REQUEST_DELAY = float(os.environ.get("M50_TWEEDEKAMER_REQUEST_DELAY", "1.0"))

# Demo accounts are created, and can log in, only in a development install (the embedded one or
# DEBUG), never in a production install with a configured key; the setting can only switch
# them off.
M50_DEMO_ACCOUNTS = (EMBEDDED or DEBUG) and env_bool("M50_DEMO_ACCOUNTS", True)

# --- Content-Security-Policy and presentation -----------------------------------------------
# Everything from the platform itself; no inline script or style anywhere (no 'unsafe-inline'):
# styles live in static CSS, SVG charts use classes and presentation attributes. data: images
# only for the icons the Utrecht component library inlines in its CSS.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Dates and money one Dutch way: the platform's format module (2 december 2026 in text,
# 02-12-2026 in tables) and the money filter (€ 5.000,00) in every template without {% load %}.
FORMAT_MODULE_PATH = ["m50.conf.formats"]
TEMPLATES[0]["OPTIONS"]["builtins"] = ["m50.core.templatetags.m50_format"]

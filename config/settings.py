"""Settings for SoMe-portalen, read from the environment.

Demo mode (the default) runs on an SQLite file under var/ with safe defaults, so a
newcomer can start the portal with one command. Production mode (DEMO=0) needs a
SECRET_KEY and turns on every security setting `manage.py check --deploy` asks for.
"""

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


def envsecret(name: str, default: str = "") -> str:
    """A secret from NAME, or from the file named by NAME_FILE."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return os.environ.get(name, default)


def database_from_url(url: str) -> dict:
    """Turn DATABASE_URL into a DATABASES entry (sqlite:///path or postgres://...)."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        # sqlite:///relative/path and sqlite:////absolute/path
        name = unquote(parts.path)[1:]
        return sqlite_database(BASE_DIR / name if name else VAR_DIR / "some.sqlite3")
    if parts.scheme in {"postgres", "postgresql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    raise ImproperlyConfigured(f"DATABASE_URL: unsupported scheme {parts.scheme!r}")


def sqlite_database(path: Path) -> dict:
    # Its folder (VAR_DIR on a fresh machine or a new server) is made here, for every command.
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets readers go on while one writer writes; IMMEDIATE transactions take
    # the write lock up front so two writers queue (busy timeout) instead of
    # failing with "database is locked" halfway through.
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        # A file, not memory, for tests too: the browser tests' server threads then
        # use their own connections, with the same WAL set-up as the portal.
        "TEST": {"NAME": VAR_DIR / "test.sqlite3"},
        # Kept open between requests, as for PostgreSQL: opening the file and setting it up
        # (the PRAGMAs below) cost more than most pages' queries.
        "CONN_MAX_AGE": 600,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA busy_timeout=20000;PRAGMA foreign_keys=ON;"
            ),
        },
    }


DEMO = envbool("DEMO", True)
# The demo (a public SECRET_KEY, the demo mailbox open to all) serves on this machine only,
# unless this says otherwise (run_portal refuses another address; check --deploy flags the demo).
DEMO_ALLOW_PUBLIC = envbool("DEMO_ALLOW_PUBLIC", False)
DEBUG = envbool("DEBUG", False)

SECRET_KEY = envsecret("SECRET_KEY")
if not SECRET_KEY:
    if not DEMO:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEMO=0.")
    SECRET_KEY = "demo-only-not-secret-" + "x" * 40

ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEMO else "").split(",") if h.strip()
]
SITE_URL = os.environ.get("SITE_URL", f"http://127.0.0.1:{envint('PORT', 8000)}").rstrip("/")
CSRF_TRUSTED_ORIGINS = [SITE_URL] if SITE_URL.startswith("https://") else []

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks_db",
    "core",
    "accounts",
    "platforms",
    "plans",
    "handbook",
    "facts",
    "registry",
    "organisation",
    "courses",
    "evaluations",
    "archive",
    "accessibility",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous visitors' public pages from the shared cache, before any other work (core/pagecache.py).
    "core.pagecache.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.WorklistMiddleware",
    "core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.OrganisationMiddleware",
    "core.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "core.context_processors.portal",
                "accounts.context_processors.organisation",
                "core.context_processors.worklist",
            ],
        },
    },
    {
        # Plain text (e-mail subjects and text bodies): nothing is escaped for HTML, so a title
        # like "Mor & barn" reads as it is written.
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]

DATABASES = {
    "default": database_from_url(os.environ["DATABASE_URL"])
    if os.environ.get("DATABASE_URL")
    else sqlite_database(VAR_DIR / "some.sqlite3")
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def cache_from_url(url: str) -> dict:
    """The cache every web node shares: the database's own table, or Redis (redis://…)."""
    if url.startswith(("redis://", "rediss://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if url:
        raise ImproperlyConfigured("CACHE_URL: only redis:// is understood; leave it empty for the database.")
    # Never Django's default per-process memory: each node would keep its own, stale, answers.
    return {
        "BACKEND": "core.cache.SharedDatabaseCache",
        "LOCATION": "core_cache",
        "OPTIONS": {"MAX_ENTRIES": 50_000, "CULL_FREQUENCY": 4},
    }


CACHES = {"default": cache_from_url(os.environ.get("CACHE_URL", ""))}
# Whole public pages for anonymous visitors from that cache (core/pagecache.py).
PUBLIC_PAGE_CACHE = envbool("PUBLIC_PAGE_CACHE", True)

AUTH_USER_MODEL = "accounts.User"
# The throttle first: it reserves a slot for each attempt before any backend checks a password.
AUTHENTICATION_BACKENDS = [
    "accounts.throttle.ThrottleBackend",
    "accounts.backends.EmailBackend",
    "accounts.backends.SSOBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Repeated failed logins for one address or from one client are refused for a while
# (accounts/throttle.py; every path that checks a password or an identity goes through it).
LOGIN_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_WINDOW_MINUTES = envint("LOGIN_FAILURE_WINDOW_MINUTES", 15)
# How many reverse proxies of our own stand in front of the portal. With 0 the client is
# REMOTE_ADDR and X-Forwarded-For is ignored; with N the client is the N-th address from
# the right in X-Forwarded-For (core/net.py).
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)

# Single sign-on with the hospital account (OpenID Connect; accounts/oidc.py). Without
# OIDC_ISSUER there is no button and password login works as before.
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "").strip()
OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "").strip()
OIDC_CLIENT_SECRET = envsecret("OIDC_CLIENT_SECRET")
OIDC_TENANT_ID = os.environ.get("OIDC_TENANT_ID", "").strip()  # Entra ID: the `tid` every token must carry
OIDC_SCOPES = os.environ.get("OIDC_SCOPES", "openid email profile")
OIDC_ALGORITHMS = [a.strip() for a in os.environ.get("OIDC_ALGORITHMS", "RS256").split(",") if a.strip()]
OIDC_CLOCK_SKEW_SECONDS = envint("OIDC_CLOCK_SKEW_SECONDS", 60)
OIDC_TIMEOUT_SECONDS = envint("OIDC_TIMEOUT_SECONDS", 10)
# A claim that carries the employee number (Entra: added under "Attributes & Claims"), so the
# organisation register can name people by it. Empty: not used.
OIDC_EMPLOYEE_ID_CLAIM = os.environ.get("OIDC_EMPLOYEE_ID_CLAIM", "").strip()
# Roles in the token's `roles` claim (Entra's app roles) and the portal role each gives:
# "TokenRole=adviser,OtherRole=administrator".
OIDC_ROLE_MAP = {
    token_role.strip(): portal_role.strip()
    for token_role, _sep, portal_role in (
        pair.partition("=")
        for pair in os.environ.get("OIDC_ROLE_MAP", "SoMe.Adviser=adviser,SoMe.Administrator=administrator").split(",")
        if pair.strip()
    )
}
if set(OIDC_ROLE_MAP.values()) - {"adviser", "administrator"}:
    raise ImproperlyConfigured("OIDC_ROLE_MAP: each role maps to 'adviser' or 'administrator'.")
SSO_BUTTON_LABEL = os.environ.get("SSO_BUTTON_LABEL", "")  # empty: "Logg inn med Helse Vest-kontoen", translated
# People who log in with the hospital account and have not been seen for this many days are
# deactivated (their accounts in the register get the "needs new editor" handover). 0: never.
SSO_INACTIVE_DAYS = envint("SSO_INACTIVE_DAYS", 180)
# The token's claim that names the person's organisation (its id in the organisation register, or
# its address name). Empty: the organisation comes from the organisation file, or is the default.
SSO_ORGANISATION_CLAIM = os.environ.get("SSO_ORGANISATION_CLAIM", "").strip()
# Password login: "all", "admins" (break-glass for administrators) or "off".
PASSWORD_LOGIN = os.environ.get("PASSWORD_LOGIN", "").strip() or ("admins" if OIDC_ISSUER and not DEMO else "all")
if PASSWORD_LOGIN not in {"all", "admins", "off"}:
    raise ImproperlyConfigured("PASSWORD_LOGIN must be all, admins or off.")

# The organisation register's export, dropped here for the scheduled sync (organisation app).
ORG_SYNC_DIR = Path(os.environ.get("ORG_SYNC_DIR", VAR_DIR / "organisasjon"))
# The scheduled sync holds back a file that would close more than this share (in per cent) of the
# units, or deactivate more than this share of the people, and tells the administrators and advisers;
# only an administrator can apply it, from the dry run, after a warning.
ORG_SYNC_MAX_CLOSE_PERCENT = envint("ORG_SYNC_MAX_CLOSE_PERCENT", 10)

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Bokmål")), ("nn", _("Nynorsk")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Our own date and time formats per language (config/formats/): "26. november 2026", "kl. 10.04".
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "some_language"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365

# Files people upload (none yet; Django's storage puts them here when a part of the portal does).
MEDIA_ROOT = VAR_DIR / "media"
# Backups (make backup) go here. BACKUP_PATHS is the one list of folders the portal keeps
# outside the database: a part of the portal that keeps files adds its folder here, and
# every backup and restore takes it along (core/backup.py).
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", VAR_DIR / "backups"))
BACKUP_PATHS = {"media": MEDIA_ROOT}

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_ROOT = BASE_DIR / "static" / "root"  # /favicon.ico, which browsers ask for whatever the page says

# The organisation's accessibility statement, made in Digdir's uustatus.no: every page's footer
# links it. Empty: the footer links the portal's own statement page (accessibility app).
ACCESSIBILITY_STATEMENT_URL = os.environ.get("ACCESSIBILITY_STATEMENT_URL", "").strip()
if ACCESSIBILITY_STATEMENT_URL and not ACCESSIBILITY_STATEMENT_URL.startswith("https://"):
    raise ImproperlyConfigured("ACCESSIBILITY_STATEMENT_URL must be an https:// address, or empty.")

# Mail: stored in the outbox, sent by the background worker over SMTP.
COMMS_MAILBOX = os.environ.get("COMMS_MAILBOX", "info@helse-bergen.no")
# The organisation of a portal that serves one (and of anything made without one): made by the
# first migration from these, then kept in the administration with the others (accounts.Organisation).
DEFAULT_ORGANISATION = {
    "slug": os.environ.get("ORGANISATION_SLUG", "helse-bergen"),
    "name": os.environ.get("ORGANISATION_NAME", "Helse Bergen"),
    "mailbox": COMMS_MAILBOX,
}
# E-mail domains of the organisations beside those of their mailboxes (comma-separated). A
# name-shaped address on an organisation's mailbox domain, one of these, or a subdomain is a
# person's, and is refused as an account's login unless an adviser marks it as a functional
# mailbox (registry.services.personal_address).
ORGANISATION_EMAIL_DOMAINS = [
    d.strip().lower().lstrip("@") for d in os.environ.get("ORGANISATION_EMAIL_DOMAINS", "").split(",") if d.strip()
]
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "SoMe-portalen <some-portalen@helse-bergen.no>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": os.environ.get("SMTP_HOST", "127.0.0.1"),
            "port": envint("SMTP_PORT", 8025 if DEMO else 25),
            "username": os.environ.get("SMTP_USER", ""),
            "password": envsecret("SMTP_PASSWORD"),
            "use_tls": envbool("SMTP_TLS", False),
            "timeout": envint("SMTP_TIMEOUT", 15),
        },
    }
}
# Where the demo mail catcher keeps what it receives (shown on the demo mail page).
MAIL_CATCHER_DIR = VAR_DIR / "mail"

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# Sessions in the database with the person as a column, read together (accounts/sessions.py).
SESSION_ENGINE = "accounts.sessions"
SESSION_COOKIE_AGE = 60 * 60 * 10
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

if OIDC_ISSUER:
    # Logging out posts to the portal, which redirects to the provider's logout page; browsers
    # hold that redirect to form-action as well.
    _issuer = urlsplit(OIDC_ISSUER)
    SECURE_CSP["form-action"] = [CSP.SELF, f"{_issuer.scheme}://{_issuer.netloc}"]

if not DEMO:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line_refusals": {"()": "core.logfilters.OneLineRefusals"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"filters": ["one_line_refusals"]},
        "django.server": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "mail.log": {"level": "WARNING"},  # the demo mail catcher's SMTP chatter
    },
}

# The archive (archive app): each plan, decision, evaluation and closing is delivered to the
# organisation's sak/arkiv system as a Noark 5 arkivmelding (Fiks Arkiv v1) dropped in the outbox,
# which the archive's import reads; its receipts are read from the inbox. The archive part, the
# classification and the screening are kept by the advisers on the archive page (docs/archive.md).
ARCHIVE_ENABLED = envbool("ARCHIVE_ENABLED", True)
ARCHIVE_OUTBOX = Path(os.environ.get("ARCHIVE_OUTBOX", VAR_DIR / "arkiv" / "utboks"))
ARCHIVE_INBOX = Path(os.environ.get("ARCHIVE_INBOX", VAR_DIR / "arkiv" / "innboks"))
# A delivered package with no receipt after this many hours becomes a task for the advisers.
ARCHIVE_RECEIPT_HOURS = envint("ARCHIVE_RECEIPT_HOURS", 24)

# Courses: a freed seat goes to the waiting list by itself up to this many hours before the
# start; online sessions get a reminder with the link this many hours before; a completion
# that runs out within this many days brings a reminder; a private calendar address lasts
# this many days.
COURSE_WAITLIST_CUTOFF_HOURS = envint("COURSE_WAITLIST_CUTOFF_HOURS", 24)
COURSE_ONLINE_REMINDER_HOURS = envint("COURSE_ONLINE_REMINDER_HOURS", 2)
COURSE_EXPIRY_NOTICE_DAYS = envint("COURSE_EXPIRY_NOTICE_DAYS", 30)
COURSE_FEED_DAYS = envint("COURSE_FEED_DAYS", 365)

# Text fields of the plan: generous, but bounded so a pasted book gets a clear message.
PLAN_TEXT_LIMIT = 5000

# How many working days (Monday to Friday) the Communications Department takes to answer a
# plan that has been sent: the unit is told when to expect an answer, and the department's
# tasks show a plan as overdue after it.
PLAN_ANSWER_WORKING_DAYS = envint("PLAN_ANSWER_WORKING_DAYS", 10)

# Evaluation of the accounts: the first a number of months after an account went live, then
# regularly; key-figure files larger than this are refused before they are read.
EVALUATION_FIRST_MONTHS = envint("EVALUATION_FIRST_MONTHS", 3)
EVALUATION_INTERVAL_MONTHS = envint("EVALUATION_INTERVAL_MONTHS", 12)
# The reminders of an evaluation due: the first this many days before the due date (then on the day and
# weekly while overdue); this many days overdue, the account becomes a candidate for closure. The
# handbook states both (facts/portal_facts.py).
EVALUATION_REMIND_BEFORE_DAYS = envint("EVALUATION_REMIND_BEFORE_DAYS", 14)
EVALUATION_CLOSURE_AFTER_DAYS = envint("EVALUATION_CLOSURE_AFTER_DAYS", 60)
EVALUATION_UPLOAD_MAX_BYTES = envint("EVALUATION_UPLOAD_MAX_MB", 10) * 1024 * 1024

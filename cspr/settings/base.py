"""Settings shared by every environment.

Everything that differs between machines comes from the environment (see
`.env.example`). With nothing set, `cspr.settings.local` runs on an embedded
default: SQLite, tasks in-process, e-mail written to a folder.
"""

from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
env_file = BASE_DIR / ".env"
if env_file.exists():
    environ.Env.read_env(env_file)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = [
    h.strip() for h in env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"]) if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in env.list("CSRF_TRUSTED_ORIGINS", default=[]) if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "guardian",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "cspr",
    "referrals",
    "rapid_reviews",
    "reviews",
    "actions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "cspr.headers.CacheControlMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "cspr.middleware.SessionLifetimeMiddleware",
    "cspr.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "cspr.access_log.AccessLogMiddleware",
    # Last, as django-axes asks: it answers a locked-out sign-in.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cspr.urls"
WSGI_APPLICATION = "cspr.wsgi.application"

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
                "cspr.context_processors.service",
            ],
            # A quicker `date` filter in every template (cspr/templatetags/dates.py).
            "builtins": ["cspr.templatetags.dates"],
        },
    },
]
# Forms render with GOV.UK Design System markup (templates/django/forms/); Django's own
# input, select and textarea templates are written out in Python (cspr/form_renderer.py).
FORM_RENDERER = "cspr.form_renderer.GovukFormRenderer"

# The embedded default keeps its SQLite file, mail and uploads under var/ (git-ignored).
(BASE_DIR / "var").mkdir(exist_ok=True)

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
# A kept connection is checked before a request reuses it, so a database restart costs
# one reconnect, not an error page.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "cspr.User"
AUTHENTICATION_BACKENDS = [
    # First, as django-axes asks: it refuses a locked-out sign-in before a password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading the signed-in person's roles with them.
    "cspr.backends.PeopleBackend",
    "guardian.backends.ObjectPermissionBackend",
]
LOGIN_URL = "sign-in"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "sign-in"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-guardian: no anonymous user; object permissions live in direct
# foreign-key tables (see cspr/models/cases.py).
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
# The service is in English only. Without translation, every date, month name and lazy
# message skips the per-request language lookup: about a tenth of a page's time. Dates
# still take en-GB's formats (LANGUAGE_CODE).
USE_I18N = False
USE_TZ = True
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
# Uploads (cspr/uploads.py): kept under MEDIA_ROOT with random names; no URL serves
# MEDIA_ROOT, files leave only through a view's access check. UPLOAD_MAX_BYTES caps a file.
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
# ClamAV's clamd, as tcp://clamav:3310 or unix:///run/clamav/clamd.ctl. Empty: uploads
# are not scanned. Set: an upload clamd cannot vouch for is refused (fail closed).
CLAMAV_URL = env.str("CLAMAV_URL", default="").strip()
if CLAMAV_URL and not (
    (CLAMAV_URL.startswith("tcp://") and len(CLAMAV_URL) > len("tcp://"))
    or CLAMAV_URL.startswith("unix:///")
):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("CLAMAV_URL must be tcp://host:port or unix:///path/to/clamd.ctl")
CLAMAV_TIMEOUT = env.float("CLAMAV_TIMEOUT", default=30.0)

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # No page reads the cache today; if one does, a Redis outage must cost it half a
    # second, not the request.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: with no REDIS_URL, tasks run in-process (the embedded default). No request
# queues a task: reminders are rows the beat's sweep picks up (ADR 0005), so pages keep
# working while Redis is down.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "recompute-deadlines": {
        "task": "cspr.tasks.recompute_deadlines",
        "schedule": crontab(hour=0, minute=1),
    },
    "mark-missed-deadlines": {
        "task": "cspr.tasks.mark_missed_deadlines",
        "schedule": crontab(hour=0, minute=5),
    },
    "send-reminders": {
        "task": "cspr.tasks.send_reminders",
        "schedule": crontab(minute="*/10"),
    },
}

# Reminders: e-mail goes from this hour (Europe/London) on; the first sweep after it
# sends the day's digests, later sweeps anything that came due since.
REMINDER_SEND_FROM_HOUR = env.int("REMINDER_SEND_FROM_HOUR", default=7)
# The address people reach the service at, for links in e-mail.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = BASE_DIR / "var" / "mail"
EMAIL_URL = env.str("EMAIL_URL", default="")
if EMAIL_URL:
    vars().update(env.email_url("EMAIL_URL"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="cspr@example.org")
# A mail server that hangs must not hold a digest's row lock, or the worker, for ever.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)

# Sessions end 30 minutes after the last request and 12 hours after signing in, checked
# on the server (cspr.middleware); the cookie lasts only as long as the browser.
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS + 120
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Sensitive actions (roles, unlocking, exports) ask for the password and a code again
# once the person last proved who they are longer ago than this.
REAUTHENTICATE_AFTER = env.int("REAUTHENTICATE_AFTER", default=15 * 60)
# Password reset links work once, for an hour.
PASSWORD_RESET_TIMEOUT = 60 * 60
# The name authenticator apps show beside the code.
OTP_TOTP_ISSUER = env.str("SERVICE_NAME", default="Child safeguarding practice reviews")
# Brute force: 5 wrong passwords for one username from one address lock that pair out
# for 15 minutes. Never for ever, never the username from everywhere (an attacker could
# then lock out a named person), and the same answer whether or not the account exists.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "cspr.views.auth.locked_out"
AXES_VERBOSE = False
# Behind reverse proxies, the client's address is the one our outermost proxy saw, that
# many entries from the right of X-Forwarded-For (0: the connection's own address). The
# access log and the brute-force lock read it the same way (cspr.access_log.client_ip):
# whatever a client writes at the left of the header is never believed.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "cspr.access_log.client_ip"
# The username as typed, cut to the longest a username can be (axes keeps it in a column
# of 255: a longer one typed at the sign-in page would otherwise be a server error).
AXES_USERNAME_CALLABLE = "cspr.views.auth.attempted_username"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# The service name shown when a user belongs to no partnership (administrators).
SERVICE_NAME = env.str("SERVICE_NAME", default="Child safeguarding practice reviews")
# Who runs this installation and how people reach them: the accessibility statement and
# the privacy notice name them to anyone not signed in (a signed-in person sees their own
# partnership named). Empty: the pages send people to their partnership's business unit.
SERVICE_OPERATOR = env.str("SERVICE_OPERATOR", default="")
SERVICE_CONTACT_EMAIL = env.str("SERVICE_CONTACT_EMAIL", default="")
DATA_PROTECTION_EMAIL = env.str("DATA_PROTECTION_EMAIL", default="")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# Response headers: Content Security Policy, HSTS and the rest (cspr/settings/headers.py).
from cspr.settings.headers import *  # noqa: E402, F403

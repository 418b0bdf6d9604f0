"""The page benchmark's settings (`bench/pages.py`): the base settings, on plain HTTP on
loopback. Unlike production: no Redis cache unless REDIS_URL is set, no `__Host-` cookie
names, no manifest static storage.

What production runs too: DEBUG off, the same middleware and templates, the database from
DATABASE_URL (PostgreSQL, the seeded dataset), sessions in the database, Redis only if
REDIS_URL is set. What differs, and why:

- no HTTPS redirect, secure cookies or HSTS: the load tool talks plain HTTP to 127.0.0.1;
- the `bench.urls` patterns: the product's, plus the raw-SQL baseline views
  (`bench/baseline.py`) the pages are compared with; the product never mounts them;
- one more middleware, first, that counts the SQL queries of each request and sends the
  number in an `X-Queries` header;
- a fixed secret key unless SECRET_KEY is set (the seeded data is fictional; nothing
  here may face a network).

Refuses to load unless CSPR_BENCH=1, so it can never be a deployment's settings by mistake.
"""

import os

from django.core.exceptions import ImproperlyConfigured

if os.environ.get("CSPR_BENCH") != "1":
    raise ImproperlyConfigured(
        "cspr.settings.bench is for bench/pages.py only: set CSPR_BENCH=1 to use it."
    )

from cspr.settings.base import *  # noqa: E402, F403
from cspr.settings.base import env  # noqa: E402

DEBUG = False
SECRET_KEY = SECRET_KEY or "bench-only-not-secret-the-seeded-data-is-fictional"  # noqa: F405
if not env.str("DATABASE_URL", default="").startswith(("postgres://", "postgresql://")):
    raise ImproperlyConfigured("The benchmark runs on PostgreSQL: set DATABASE_URL.")
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.urls"
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]  # noqa: F405
# Connections kept for a minute, as production keeps them.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)  # noqa: F405

# Production's security settings less those that need HTTPS.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

# No collected static files: whitenoise finds them where they are (no page here fetches one).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True

# Requests nobody reads: e-mail stays in memory; the console log keeps warnings only
# (every refused request would otherwise print a line under load).
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING["root"]["level"] = env.str("LOG_LEVEL", default="WARNING")  # noqa: F405

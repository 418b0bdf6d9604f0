"""Settings for the test suite: DATABASE_URL and REDIS_URL as the environment gives them."""

from cspr.settings.base import *  # noqa: F403

SECRET_KEY = "test-only-not-secret"  # noqa: S105 (tests only)
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
STATIC_ROOT = None  # tests serve static files from the finders, never a collected folder
WHITENOISE_USE_FINDERS = True

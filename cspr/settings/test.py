"""Settings for the test suite: DATABASE_URL and REDIS_URL as the environment gives them."""

from cspr.settings.base import *  # noqa: F403
from cspr.settings.base import env

SECRET_KEY = "test-only-not-secret"  # noqa: S105  # nosec B105 (tests only)
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The worker tests start real Celery workers on these settings with a mail backend
# that leaves one file per message, so the test can count what was sent.
EMAIL_BACKEND = env.str(
    "TEST_EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend"
)
EMAIL_FILE_PATH = env.str("TEST_EMAIL_FILE_PATH", default=str(BASE_DIR / "var" / "test-mail"))  # noqa: F405
CELERY_TASK_ALWAYS_EAGER = True
STATIC_ROOT = None  # tests serve static files from the finders, never a collected folder
WHITENOISE_USE_FINDERS = True

"""The embedded default: runs with nothing installed or set but Python."""

from cspr.settings.base import *  # noqa: F403
from cspr.settings.base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = SECRET_KEY or "local-development-only-not-secret"  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT = None  # runserver serves from static/; `collectstatic` is for production

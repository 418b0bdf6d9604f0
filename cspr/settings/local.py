"""The embedded default: runs with nothing installed or set but Python."""

from cspr.settings.base import *  # noqa: F403
from cspr.settings.base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = SECRET_KEY or "local-development-only-not-secret"  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT = None  # runserver serves from static/; `collectstatic` is for production
# Trying it out: reminders show as soon as `send_reminders` runs, whatever the hour.
REMINDER_SEND_FROM_HOUR = env.int("REMINDER_SEND_FROM_HOUR", default=0)

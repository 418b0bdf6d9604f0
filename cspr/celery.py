"""The Celery application. Tasks are thin: ids in, a service does the work."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cspr.settings.production")

app = Celery("cspr")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

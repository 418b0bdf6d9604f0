"""Local review tasks. Thin: ids in, a service does the work; queued on commit."""

import smtplib

from celery import shared_task
from django.contrib.auth import get_user_model

from cspr.tasks import RETRY


@shared_task(
    **{
        **RETRY,
        "autoretry_for": (*RETRY["autoretry_for"], smtplib.SMTPException, OSError),
        "retry_backoff": 60,
    }
)
def send_reviewer_invitation(user_id):
    """E-mail a new reviewer the link to choose their password; tried again while the mail
    server is away. Sending twice does no harm: choosing a password ends every link."""
    from reviews.services.appointment import reviewer_invitation_send

    user = get_user_model().objects.filter(pk=user_id).first()
    return bool(user) and reviewer_invitation_send(user=user)

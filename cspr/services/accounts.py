"""Writes to a person's own sign-in: the second factor, backup codes, their sessions.

Every change is kept in the person's history (django-simple-history on User) or in
django-otp's device rows, with who made it.
"""

from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cspr.errors import TransitionNotAllowed
from cspr.models import User
from cspr.services.audit import stamp

APP_DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"
BACKUP_CODE_COUNT = 10


def second_factor_device_for_set_up(*, user, device_id=None):
    """The authenticator-app key the person is setting up in this browser: the one whose
    id the browser's session holds, while it waits for its first code; otherwise a new
    key, and every other unconfirmed one is dropped, so a key seen by someone else (with a
    phished password, say) is never the one confirmed. Refused once they have a confirmed
    app (an administrator resets it when a phone is lost)."""
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            raise TransitionNotAllowed("You have already set up an authenticator app.")
        pending = TOTPDevice.objects.filter(user=user, confirmed=False)
        device = pending.filter(pk=device_id).first() if device_id else None
        if device is None:
            pending.delete()
            device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def second_factor_confirm(*, user, device_id, token):
    """Confirm the authenticator app this browser is setting up with its first code, and
    issue backup codes.

    Returns the confirmed device and the backup codes, which are shown once. Refuses a
    wrong code (django-otp throttles repeated failures).
    """
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=False, pk=device_id)
            .first()
        )
        if device is None:
            raise TransitionNotAllowed("Start setting up your authenticator app again.")
        if not device.verify_token(token):
            raise TransitionNotAllowed(
                "The code is not right. Check the time on your phone is set automatically "
                "and enter the newest code."
            )
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        codes = _issue_backup_codes(user)
    return device, codes


def backup_codes_replace(*, user):
    """New backup codes for the person; the old ones stop working."""
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)
        return _issue_backup_codes(user)


def _issue_backup_codes(user):
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def second_factor_reset(*, user, by):
    """An administrator removes a person's second factor (a lost phone): they set up a
    new one the next time they sign in, and every session of theirs ends."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        TOTPDevice.objects.filter(user=locked).delete()
        StaticDevice.objects.filter(user=locked).delete()
        locked.session_generation += 1
        stamp(locked, by=by, reason="Second factor reset; signed out everywhere").save(
            update_fields=["session_generation"]
        )


def sessions_end_everywhere(*, user):
    """Sign the person out of every browser, this one included."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        locked.session_generation += 1
        stamp(locked, by=user, reason="Signed out everywhere").save(
            update_fields=["session_generation"]
        )

"""What a signed-in session has proved, and when.

A session is fully signed in only after the password *and* a second factor
(django-otp: an authenticator app's code or a single-use backup code). The session
records when the person last proved who they are; sensitive actions (changing roles,
unlocking records, exporting) ask again once that is older than `REAUTHENTICATE_AFTER`.
The session itself ends after `SESSION_IDLE_SECONDS` without a request and
`SESSION_ABSOLUTE_SECONDS` after signing in, whatever happens (cspr.middleware).
"""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django_otp import login as otp_login

SIGNED_IN_AT = "cspr_signed_in_at"
LAST_SEEN_AT = "cspr_last_seen_at"
PROVED_AT = "cspr_identity_proved_at"

# Form fields the identity check adds to a carried-over POST (kept out of the replay).
CONFIRM_PREFIX = "confirm"


def now() -> float:
    return time.time()


def second_factor_passed(request, device):
    """The person proved both factors: the session is verified from now on."""
    # A new session key once both factors are given, as at the password step.
    request.session.cycle_key()
    otp_login(request, device)
    request.session[PROVED_AT] = now()
    request.session.setdefault(SIGNED_IN_AT, now())


def identity_recently_proved(request) -> bool:
    proved = request.session.get(PROVED_AT)
    return proved is not None and now() - proved <= settings.REAUTHENTICATE_AFTER


def identity_proved(request):
    request.session[PROVED_AT] = now()


def reauthentication_challenge(request, *, action):
    """For a sensitive action: None when the person proved who they are recently enough,
    else the page asking for their password and a code again.

    Call it after the access check, so that a person who may not see the object still
    gets the 404 or 403. A POST's fields are carried through the check and replayed
    once it passes, so nothing typed is lost; a GET is repeated.
    """
    from cspr.account_forms import ConfirmIdentityForm

    if identity_recently_proved(request):
        return None
    data = request.POST if request.method == "POST" else None
    confirming = data is not None and f"{CONFIRM_PREFIX}-password" in data
    form = ConfirmIdentityForm(
        request.user, data if confirming else None, request=request, prefix=CONFIRM_PREFIX
    )
    if confirming and form.is_valid():
        identity_proved(request)
        return None
    if request.method == "POST":
        # Back to the same address with what was sent, so the action goes ahead.
        post_to = request.get_full_path()
        carried = [
            (key, value)
            for key, values in request.POST.lists()
            if key != "csrfmiddlewaretoken" and not key.startswith(f"{CONFIRM_PREFIX}-")
            for value in values
        ]
    else:
        # A page or download: confirm, then come back to it.
        post_to = f"{reverse('account-confirm')}?{urlencode({'next': request.get_full_path()})}"
        carried = []
    return render(
        request,
        "cspr/account_confirm.html",
        {"form": form, "action": action, "post_to": post_to, "carried": carried},
    )

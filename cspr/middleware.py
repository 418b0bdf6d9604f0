"""Sessions end on time, and no page past sign-in opens without the second factor."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device

from cspr.authentication import LAST_SEEN_AT, SIGNED_IN_AT, now

# Pages a person who has given only their password may open: the second-factor pages,
# signing out, password reset, the health check, the accessibility statement and the
# privacy notice. Everything else (every page with
# case data, the admin included) waits for the second factor.
OPEN_BEFORE_SECOND_FACTOR = {
    "second-factor",
    "second-factor-set-up",
    "sign-in",
    "sign-out",
    "healthz",
    "accessibility-statement",
    "privacy-notice",
    "password-reset",
    "password-reset-sent",
    "password-reset-confirm",
    "password-reset-complete",
}

# The session is saved for `last seen` at most this often (not on every request).
LAST_SEEN_GRANULARITY = 60


def _sign_in_again(request, message):
    logout(request)
    messages.info(request, message)
    query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
    return redirect(f"{reverse('sign-in')}{'?' + query if query else ''}")


class SessionLifetimeMiddleware:
    """Ends a session 30 minutes after its last request and 12 hours after signing in,
    checked on the server (the cookie's own expiry is only a backstop)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            session = request.session
            moment = now()
            signed_in = session.get(SIGNED_IN_AT)
            last_seen = session.get(LAST_SEEN_AT)
            if signed_in is None:
                session[SIGNED_IN_AT] = signed_in = moment
            if moment - signed_in > settings.SESSION_ABSOLUTE_SECONDS:
                return _sign_in_again(
                    request,
                    "You were signed out because you had been signed in for "
                    f"{settings.SESSION_ABSOLUTE_SECONDS // 3600} hours. Sign in again.",
                )
            if last_seen is not None and moment - last_seen > settings.SESSION_IDLE_SECONDS:
                return _sign_in_again(
                    request,
                    "You were signed out after "
                    f"{settings.SESSION_IDLE_SECONDS // 60} minutes without activity. "
                    "Anything you sent after that was not saved: sign in again, then use "
                    "your browser's Back button to find it.",
                )
            if last_seen is None or moment - last_seen >= LAST_SEEN_GRANULARITY:
                session[LAST_SEEN_AT] = moment
        return self.get_response(request)


class SecondFactorMiddleware:
    """A person who has given their password but not a second factor is sent to give one
    (or to set one up, the first time), whatever page they asked for."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_BEFORE_SECOND_FACTOR:
            return None
        target = "second-factor" if user_has_device(user) else "second-factor-set-up"
        query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
        return redirect(f"{reverse(target)}{'?' + query if query else ''}")

"""A person's own sign-in: the second factor, backup codes, identity checks before
sensitive actions, password change and reset, and signing out everywhere."""

from base64 import b32encode
from urllib.parse import urlsplit

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice

from cspr.account_forms import (
    ConfirmIdentityForm,
    PasswordChangeForm,
    PasswordResetForm,
    SecondFactorForm,
    SetPasswordForm,
    SetUpForm,
)
from cspr.authentication import (
    CONFIRM_PREFIX,
    SIGNED_IN_AT,
    identity_proved,
    reauthentication_challenge,
    second_factor_passed,
)
from cspr.errors import TransitionNotAllowed
from cspr.services import accounts

NEW_CODES = "cspr_new_backup_codes"
# The authenticator-app key this browser is setting up (its device's id).
SETTING_UP = "cspr_setting_up_device"


def _next(request, default="home"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    # A path on this site only: redirect() would take a bare word for a URL name.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


@login_required
@require_http_methods(["GET", "POST"])
def second_factor(request):
    """The second step of signing in: a code from the app, or a backup code."""
    if request.user.is_verified():
        return redirect(_next(request))
    if not user_has_device(request.user):
        return redirect("second-factor-set-up")
    form = SecondFactorForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        second_factor_passed(request, form.device)
        if isinstance(form.device, StaticDevice):
            left = accounts.backup_codes_left(request.user)
            messages.warning(
                request,
                f"You used a backup code. You have {left} left: make new ones from "
                "Your account if you are running out.",
            )
        return redirect(_next(request))
    return render(
        request, "cspr/second_factor.html", {"form": form, "next": request.GET.get("next", "")}
    )


@login_required
@require_http_methods(["GET", "POST"])
def second_factor_set_up(request):
    """The first sign-in: link an authenticator app, then see the backup codes once."""
    if user_has_device(request.user):
        return redirect("account" if request.user.is_verified() else "second-factor")
    try:
        device = accounts.second_factor_device_for_set_up(
            user=request.user, device_id=request.session.get(SETTING_UP)
        )
    except TransitionNotAllowed:  # set up meanwhile, in another browser
        return redirect("second-factor")
    request.session[SETTING_UP] = device.pk
    form = SetUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = accounts.second_factor_confirm(
                user=request.user, device_id=device.pk, token=form.cleaned_data["code"]
            )
        except TransitionNotAllowed as error:
            form.add_error("code", str(error))
        else:
            second_factor_passed(request, device)
            request.session.pop(SETTING_UP, None)
            request.session[NEW_CODES] = codes
            return redirect("backup-codes")
    key = b32encode(device.bin_key).decode()
    image = qrcode.make(
        device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10
    ).to_string(encoding="unicode")
    return render(
        request,
        "cspr/second_factor_set_up.html",
        {
            "form": form,
            # Drawn here as path data only: no text from the key or the username reaches
            # the SVG's markup, so it is safe to insert as it is.
            "qr_svg": mark_safe(image),  # noqa: S308  # nosec B308 B703
            "key_groups": [key[i : i + 4] for i in range(0, len(key), 4)],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def backup_codes(request):
    """Backup codes, shown once when made; making new ones needs the identity check."""
    codes = request.session.pop(NEW_CODES, None)
    if request.method == "POST":
        challenge = reauthentication_challenge(request, action="make new backup codes")
        if challenge is not None:
            return challenge
        codes = accounts.backup_codes_replace(user=request.user)
        messages.success(request, "You have new backup codes. The old ones no longer work.")
    return render(
        request,
        "cspr/backup_codes.html",
        {"codes": codes, "left": accounts.backup_codes_left(request.user)},
    )


@login_required
@require_GET
def account(request):
    """What protects the person's sign-in, and what they can do about it."""
    return render(
        request,
        "cspr/account.html",
        {
            "backup_codes_left": accounts.backup_codes_left(request.user),
            "signed_in_at": request.session.get(SIGNED_IN_AT),
            "idle_minutes": settings.SESSION_IDLE_SECONDS // 60,
            "absolute_hours": settings.SESSION_ABSOLUTE_SECONDS // 3600,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_confirm(request):
    """Prove who you are again before a sensitive page or download, then go back to it."""
    form = ConfirmIdentityForm(
        request.user, request.POST or None, request=request, prefix=CONFIRM_PREFIX
    )
    if request.method == "POST" and form.is_valid():
        identity_proved(request)
        return redirect(_next(request, default="account"))
    return render(
        request,
        "cspr/account_confirm.html",
        {"form": form, "post_to": request.get_full_path(), "carried": []},
    )


@login_required
@require_POST
def sign_out_everywhere(request):
    """End every session of the person's, in every browser, this one included."""
    accounts.sessions_end_everywhere(user=request.user)
    logout(request)
    messages.success(request, "You are signed out everywhere. Sign in again to go on.")
    return redirect("sign-in")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Changing the password keeps this session and ends every other one."""

    form_class = PasswordChangeForm
    template_name = "cspr/password_change.html"
    success_url = reverse_lazy("account")

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"request": self.request}

    def form_valid(self, form):
        response = super().form_valid(form)
        update_session_auth_hash(self.request, form.user)
        messages.success(
            self.request, "Your password is changed. Any other browser has been signed out."
        )
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """The same answer whether or not the address belongs to someone."""

    form_class = PasswordResetForm
    template_name = "cspr/password_reset.html"
    email_template_name = "emails/password_reset_body.txt"
    html_email_template_name = "emails/password_reset_body.html"
    subject_template_name = "emails/password_reset_subject.txt"
    success_url = reverse_lazy("password-reset-sent")

    def form_valid(self, form):
        # The link's address comes from SITE_URL, never from the request's Host header.
        form.save(
            domain_override=urlsplit(settings.SITE_URL).netloc,
            use_https=settings.SITE_URL.startswith("https://"),
            token_generator=self.token_generator,
            from_email=self.from_email,
            email_template_name=self.email_template_name,
            subject_template_name=self.subject_template_name,
            html_email_template_name=self.html_email_template_name,
            request=self.request,
        )
        return redirect(self.success_url)


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "cspr/password_reset_sent.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The link works once (the token depends on the password) and for
    PASSWORD_RESET_TIMEOUT; a new password ends every session."""

    form_class = SetPasswordForm
    template_name = "cspr/password_reset_confirm.html"
    success_url = reverse_lazy("password-reset-complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "cspr/password_reset_complete.html"

from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.shortcuts import render

from cspr.forms import SignInForm


class SignInView(auth_views.LoginView):
    template_name = "cspr/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    """POST only (Django's default): a link cannot sign someone out."""


def attempted_username(request, credentials=None):
    """The username a sign-in attempt was for, as django-axes counts it: from the
    credentials given to authenticate, else the form, no longer than a username can be."""
    field = get_user_model().USERNAME_FIELD
    longest = get_user_model()._meta.get_field(field).max_length
    value = (credentials or {}).get(field)
    if value is None:
        value = request.POST.get(field, "") if request is not None else ""
    return str(value)[:longest]


def locked_out(request, credentials, *args, **kwargs):
    """django-axes' answer to a locked-out sign-in: the sign-in page with a message that
    is the same whether or not the username exists."""
    form = SignInForm(request, initial={"username": attempted_username(request)})
    return render(
        request,
        "cspr/sign_in.html",
        {
            "form": form,
            "locked_out": (
                "Too many attempts to sign in with this username. Wait 15 minutes and try "
                "again, or reset your password."
            ),
            "next": request.POST.get("next", ""),
        },
        status=429,
    )

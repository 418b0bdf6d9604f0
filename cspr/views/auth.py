from django.contrib.auth import views as auth_views

from cspr.forms import SignInForm


class SignInView(auth_views.LoginView):
    template_name = "cspr/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    """POST only (Django's default): a link cannot sign someone out."""

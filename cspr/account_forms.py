"""Forms for signing in past the password: the second factor, confirming identity,
password reset and change. Forms check shape; django-otp and the services check codes."""

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth import forms as auth_forms
from django_otp import match_token

CODE_WIDGET = forms.TextInput(
    attrs={
        "autocomplete": "one-time-code",
        "inputmode": "numeric",
        "spellcheck": "false",
    }
)


def _code_field(label, help_text=""):
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=16,
        widget=CODE_WIDGET,
        error_messages={"required": "Enter the code"},
    )


def _clean_code(value):
    return "".join(value.split())


class SecondFactorForm(forms.Form):
    """The code from the authenticator app, or one of the backup codes."""

    use_required_attribute = False
    code = _code_field(
        "Code",
        "The 6-digit code from your authenticator app, or one of your backup codes.",
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        self.device = None
        super().__init__(*args, **kwargs)

    def clean_code(self):
        code = _clean_code(self.cleaned_data["code"])
        self.device = match_token(self.user, code)
        if self.device is None:
            raise forms.ValidationError(
                "The code is not right, or has been used. Enter the newest code from your "
                "app, or an unused backup code."
            )
        return code


class SetUpForm(forms.Form):
    use_required_attribute = False
    code = _code_field("Code from your app", "Enter the 6-digit code your app now shows.")

    def clean_code(self):
        code = _clean_code(self.cleaned_data["code"])
        if not code.isdigit() or len(code) != 6:
            raise forms.ValidationError("Enter the 6-digit code your app shows, like 123456")
        return code


def password_is_right(request, user, password) -> bool:
    """Checked through `authenticate`, so django-axes counts a wrong password here as it
    does at sign-in: a borrowed session cannot be used to guess the password."""
    return authenticate(request, username=user.get_username(), password=password) == user


class ConfirmIdentityForm(forms.Form):
    """Before a sensitive action: the password and a second-factor code again. The code
    is checked only after the password (so a wrong password never spends a backup code),
    and one message covers both."""

    use_required_attribute = False
    WRONG = "The password or the code is not right"
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )
    code = _code_field(
        "Code",
        "The 6-digit code from your authenticator app, or one of your backup codes.",
    )

    def __init__(self, user, *args, request=None, **kwargs):
        self.user = user
        self.request = request
        self.device = None
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        password, code = data.get("password"), data.get("code")
        if password is None or code is None:
            return data
        if not password_is_right(self.request, self.user, password):
            self.add_error("password", self.WRONG)
            return data
        self.device = match_token(self.user, _clean_code(code))
        if self.device is None:
            self.add_error("code", self.WRONG)
        return data


class PasswordResetForm(auth_forms.PasswordResetForm):
    use_required_attribute = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Email address"
        self.fields["email"].error_messages = {
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        }


class SetPasswordForm(auth_forms.SetPasswordForm):
    use_required_attribute = False


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    use_required_attribute = False

    def __init__(self, user, *args, request=None, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        if not password_is_right(self.request, self.user, old_password):
            raise forms.ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password

"""Forms for signing in past the password: the second factor, confirming identity,
password reset and change. Forms check shape; django-otp and the services check codes."""

from django import forms
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


class ConfirmIdentityForm(SecondFactorForm):
    """Before a sensitive action: the password and a second-factor code again."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )
    field_order = ["password", "code"]

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("The password is not right")
        return password


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

import re

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from checklists.forms.fields import PlainWordsForm
from checklists.models import User

DEMO_ACCOUNT_REFUSED = (
    "Demo accounts cannot sign in here: this server runs with DEBUG off, so it may hold real patient data. "
    "Ask a clinic admin for an account of your own."
)


class SignInForm(AuthenticationForm):
    """Django's sign-in form; a demo account is told plainly why it cannot sign in with DEBUG off."""

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            username = self.cleaned_data.get("username")
            if not settings.DEBUG and username and User.objects.filter(username=username, is_demo=True).exists():
                raise ValidationError(DEMO_ACCOUNT_REFUSED, code="demo_account") from None
            raise


CODE_FORMAT = "Enter the 6 digits your authenticator app shows, or one of your backup codes."
WRONG_CODE_AT_SIGN_IN = "That code is not right. Codes change every 30 seconds; try the one shown now."
TOTP_CODE = re.compile(r"[0-9]{6}")
BACKUP_CODE = re.compile(r"[a-z2-7]{8}")


class SecondFactorForm(PlainWordsForm):
    """A 6-digit authenticator code, or (when signing in) an 8-character backup code. Spaces are ignored."""

    code = forms.CharField(
        label="Code",
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
    )

    def __init__(self, *args, backup_codes_allowed=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.backup_codes_allowed = backup_codes_allowed

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split()).lower()
        # Only ASCII digits: int() would also take "1_23456" or Arabic-Indic digits.
        if TOTP_CODE.fullmatch(code) or (self.backup_codes_allowed and BACKUP_CODE.fullmatch(code)):
            return code
        raise forms.ValidationError(CODE_FORMAT if self.backup_codes_allowed else CODE_FORMAT.split(",")[0] + ".")

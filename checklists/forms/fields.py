"""Form fields in the clinic's words (issue 11): numbers as staff type them, and no Django default wording.

A number is digits 0-9 with at most one decimal point. "2,6" is refused with "Use a decimal point: 2.6" rather
than read as 2.6: a comma is also a thousands separator ("1,000"), and a value read the wrong way is a wrong
number. Underscores, exponents, signs and digits of other scripts are refused in plain words.
"""

import re
import uuid
from decimal import Decimal

from django import forms

NUMBER_WITH_COMMA = "Use a decimal point: {suggestion}"
NUMBER_WITH_THOUSANDS = "Write the number without a comma ({whole}), or with a decimal point ({decimal})."
NOT_A_NUMBER = "Enter a number using the digits 0\u20139 and a decimal point, such as 2.6."
TOO_MANY_DECIMALS = "Use at most %(max)s digits after the decimal point."
TOO_MANY_DIGITS = "This number is too long: use at most %(max)s digits."
NOT_A_DATE = "Enter a date such as 2026-11-02 (year, month, day)."
REQUIRED = "Fill this in."
NOT_A_CHOICE = "Choose one of the options offered."
TOO_LONG = "Use at most %(limit_value)d characters (this has %(show_value)d)."
TOO_SMALL = "Use a number of at least %(limit_value)s."
TOO_LARGE = "Use a number of at most %(limit_value)s."

PLAIN_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+", re.ASCII)
COMMA_NUMBER = re.compile(r"([0-9]+),([0-9]+)", re.ASCII)

# Friendly words for every field's common refusals, whatever the field class.
PLAIN_WORDS = {
    "required": REQUIRED,
    "invalid_choice": NOT_A_CHOICE,
    "invalid_list": NOT_A_CHOICE,
    "max_length": TOO_LONG,
    "min_value": TOO_SMALL,
    "max_value": TOO_LARGE,
}


class ClinicalNumberField(forms.DecimalField):
    """A decimal as a clinician writes it; anything else is refused with a message that says what to type."""

    default_error_messages = {
        "invalid": NOT_A_NUMBER,
        "max_digits": TOO_MANY_DIGITS,
        "max_decimal_places": TOO_MANY_DECIMALS,
        "max_whole_digits": TOO_MANY_DIGITS,
        "min_value": "Enter a number of at least %(limit_value)s.",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip()
        if not text:
            return None
        comma = COMMA_NUMBER.fullmatch(text)
        if comma:
            whole, fraction = comma.groups()
            if len(fraction) == 3:  # 1,000: a thousands separator as likely as a decimal comma
                message = NUMBER_WITH_THOUSANDS.format(whole=whole + fraction, decimal=f"{whole}.{fraction}")
            else:
                message = NUMBER_WITH_COMMA.format(suggestion=f"{whole}.{fraction}")
            raise forms.ValidationError(message, code="comma")
        if not PLAIN_NUMBER.fullmatch(text):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return Decimal(text)


class SubmissionIdField(forms.UUIDField):
    """The hidden id that makes a create idempotent. A missing or mangled one is no id at all (the form still
    saves, once), never an error a person could not fix."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError:
            return None


class LockVersionField(forms.IntegerField):
    """The version of a record the page was showing (optimistic locking). A missing or mangled one is no version:
    the save is then refused as stale, with everything typed kept, never a 500 or a form error no one can fix."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, min_value=0, **kwargs)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError:
            return None

    def validate(self, value):
        pass

    def run_validators(self, value):
        pass


def new_submission_id() -> str:
    return str(uuid.uuid4())


def _django_defaults(field: forms.Field) -> dict:
    messages: dict = {}
    for cls in reversed(type(field).__mro__):
        messages.update(getattr(cls, "default_error_messages", {}))
    return messages


def plain_words(form: forms.BaseForm) -> None:
    """Give every field of the form the clinic's words for its common refusals (never Django's defaults)."""
    for field in form.fields.values():
        # Validators' messages (max_length, min_value …) are looked up here by code too, so set them all; a message
        # the field was given on purpose (not Django's default) stays.
        defaults = _django_defaults(field)
        for code, message in PLAIN_WORDS.items():
            if code not in field.error_messages or field.error_messages[code] == defaults.get(code):
                field.error_messages[code] = message
        if isinstance(field, forms.DateField):
            field.error_messages["invalid"] = NOT_A_DATE
        elif isinstance(field, forms.IntegerField | forms.FloatField) and not isinstance(field, ClinicalNumberField):
            field.error_messages["invalid"] = NOT_A_NUMBER


class PlainWordsForm(forms.Form):
    """A form whose refusals are all in the clinic's words."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plain_words(self)

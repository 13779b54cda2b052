import datetime

from django import forms
from django.utils import timezone

from checklists.models.choices import ReviewAction
from checklists.rules.tiers import Tier

NOTE_REQUIRED = "Say what was done: a note is required for emergency and urgent flags."
STABLE_NOT_IN_FUTURE = "“Known and stable until” must be a date after today."
STABLE_TOO_FAR = "“Known and stable until” can be at most one year ahead; review the finding again by then."

ACTION_CHOICES = [(value, label) for value, label in ReviewAction.choices if value != ReviewAction.KNOWN_STABLE]


class ReviewForm(forms.Form):
    action = forms.ChoiceField(label="Action taken", choices=ACTION_CHOICES, widget=forms.RadioSelect)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000)
    stable_until = forms.DateField(
        label="Known and stable until",
        required=False,
        help_text="Optional: the same finding does not re-alarm until this date, unless it gets worse.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, flag, **kwargs):
        super().__init__(*args, **kwargs)
        self.flag = flag
        self.tier = Tier(flag.tier)
        if self.tier.rank >= Tier.URGENT.rank:
            self.fields["note"].required = True
            self.fields["note"].error_messages["required"] = NOTE_REQUIRED
        if self.tier == Tier.EMERGENCY:
            del self.fields["stable_until"]

    def clean_stable_until(self):
        until = self.cleaned_data.get("stable_until")
        today = timezone.localdate()
        if until is not None and until <= today:
            raise forms.ValidationError(STABLE_NOT_IN_FUTURE)
        if until is not None and until > today + datetime.timedelta(days=366):
            raise forms.ValidationError(STABLE_TOO_FAR)
        return until

    def review(self) -> dict:
        return {
            "action": self.cleaned_data["action"],
            "note": self.cleaned_data["note"].strip(),
            "stable_until": self.cleaned_data.get("stable_until"),
        }


class WorklistFilterForm(forms.Form):
    tier = forms.ChoiceField(
        required=False,
        choices=[("", "All tiers")]
        + [(tier.value, tier.label) for tier in (Tier.EMERGENCY, Tier.URGENT, Tier.PROMPT_REVIEW, Tier.ROUTINE)],
    )
    clinic = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="All my clinics", widget=forms.Select(attrs={"class": "form-select"})
    )

    def __init__(self, *args, clinics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clinic"].queryset = clinics

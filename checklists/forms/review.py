from django import forms
from django.utils import timezone

from checklists.forms.fields import PlainWordsForm
from checklists.models.choices import ReviewAction
from checklists.rules.tiers import SERIOUS, Tier
from checklists.services.reviews import REVIEW_ACTIONS, review_problems

ACTION_CHOICES = [(value, label) for value, label in ReviewAction.choices if value in REVIEW_ACTIONS]


class ReviewForm(PlainWordsForm):
    """Maps the page's fields; the rules (a note for serious flags, the stable-until dates) are the service's."""

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
        if self.tier in SERIOUS:
            self.fields["note"].label = "Note (required)"
            del self.fields["stable_until"]  # never offered: urgent and emergency flags are reviewed every time

    def clean(self):
        cleaned = super().clean()
        if "action" in cleaned:
            problems = review_problems(
                tier=self.tier,
                action=cleaned["action"],
                note=cleaned.get("note", ""),
                stable_until=cleaned.get("stable_until"),
                today=timezone.localdate(),
            )
            for field, message in problems.items():
                self.add_error(field if field in self.fields else None, message)
        return cleaned

    def review(self) -> dict:
        return {
            "action": self.cleaned_data["action"],
            "note": self.cleaned_data["note"].strip(),
            "stable_until": self.cleaned_data.get("stable_until"),
        }


class WorklistFilterForm(PlainWordsForm):
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

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


class FollowUpFilterForm(PlainWordsForm):
    """Which follow-ups to list: overdue (the default), or due in the next 7 or 30 days (issue 15 §5)."""

    OVERDUE, WEEK, MONTH = "overdue", "7", "30"
    due = forms.ChoiceField(
        required=False,
        choices=[(OVERDUE, "Overdue"), (WEEK, "Due in the next 7 days"), (MONTH, "Due in the next 30 days")],
    )

    def days_ahead(self) -> int | None:
        """None for overdue; else how many days ahead. A value that does not validate lists the overdue."""
        due = self.cleaned_data.get("due") if self.is_valid() else ""
        return int(due) if due in (self.WEEK, self.MONTH) else None


class VisitReviewForm(PlainWordsForm):
    """One review for the ticked flags of a visit (issue 15 §3). Maps the page's fields; the rules are the
    service's (services.review_visit), shown next to the field they are about."""

    flags = forms.TypedMultipleChoiceField(
        label="Flags this review covers", coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    action = forms.ChoiceField(label="Action taken", choices=ACTION_CHOICES, widget=forms.RadioSelect)
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text="Required when an urgent or emergency flag is ticked.",
    )

    def __init__(self, *args, flags, choices, **kwargs):
        """`flags`: the open flags the person may review, ticked at first; `choices`: every flag of the visit they
        may sign off (one reviewed since the page was drawn is the service's to refuse, naming who did)."""
        kwargs.setdefault("initial", {"flags": [flag.pk for flag in flags]})
        super().__init__(*args, **kwargs)
        self.fields["flags"].choices = [(flag.pk, flag.title) for flag in choices]

    def review(self) -> dict:
        return {
            "flag_ids": self.cleaned_data["flags"],
            "action": self.cleaned_data["action"],
            "note": self.cleaned_data["note"].strip(),
        }

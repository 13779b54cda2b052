"""The forms that follow a recommended action through (issue 15 §4): they map fields; the rules are the
service's (services/actions.py), shown next to the field they are about."""

from django import forms

from checklists.forms.fields import PlainWordsForm
from checklists.models.choices import ImagingStatus


class ActionDoneForm(PlainWordsForm):
    how = forms.CharField(
        label="How was it done?",
        max_length=200,
        required=False,
        help_text="For example “MRI whole spine booked for 23 Nov”, “FBC taken”, “Seen by the spinal team”.",
    )


MOVES_OFFERED = (ImagingStatus.BOOKED, ImagingStatus.DONE, ImagingStatus.CANCELLED)


class OrderStatusForm(PlainWordsForm):
    status = forms.ChoiceField(
        label="The order is now",
        choices=[
            (status.value, status.label)
            for status in (ImagingStatus.BOOKED, ImagingStatus.DONE, ImagingStatus.CANCELLED)
        ],
        widget=forms.RadioSelect,
    )
    booked_for = forms.DateField(
        label="Booked for", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reason = forms.CharField(label="Why cancelled", required=False, max_length=300)

    def move(self) -> dict:
        return {
            "status": self.cleaned_data["status"],
            "booked_for": self.cleaned_data.get("booked_for"),
            "reason": self.cleaned_data.get("reason", ""),
        }

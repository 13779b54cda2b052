from django import forms
from django.utils import timezone

from checklists.messages import as_sentence
from checklists.models import Patient
from checklists.models.choices import KNOWN_SITE_CHOICES
from checklists.models.patient import BASELINE_DATE_NEEDS_ALP
from checklists.rules.units import ALP, U_L, plausibility_error

from .fields import (
    ClinicalNumberField,
    LockVersionField,
    PlainWordsForm,
    SubmissionIdField,
    new_submission_id,
    plain_words,
)

DATE_OF_BIRTH_IN_FUTURE = "The date of birth cannot be in the future."
DATE_OF_BIRTH_TOO_OLD = "The date of birth is more than 120 years ago; check the year."
MRN_TAKEN = "Another patient of this clinic already has this MRN."
OTHER_CANCER_NEEDED = "Name the primary cancer when you choose Other."
OTHER_CANCER_ONLY_FOR_OTHER = "Leave this empty unless the primary cancer is Other."


class PatientSearchForm(PlainWordsForm):
    q = forms.CharField(label="Search by name or MRN", required=False, max_length=80)


class PatientForm(forms.ModelForm):
    submission_id = SubmissionIdField()
    lock_version = LockVersionField()
    known_sites = forms.MultipleChoiceField(
        label="Known bone-metastasis sites",
        choices=KNOWN_SITE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Patient
        fields = [
            "clinic",
            "mrn",
            "family_name",
            "given_name",
            "date_of_birth",
            "sex",
            "primary_cancer",
            "primary_cancer_other",
            "known_sites",
            "bone_agent",
            "baseline_alp",
            "baseline_alp_measured_on",
        ]
        field_classes = {"baseline_alp": ClinicalNumberField}
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "baseline_alp_measured_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, clinics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clinic"].queryset = clinics
        self.fields["clinic"].empty_label = None
        if self.instance.pk or len(clinics) == 1:
            # A patient stays in their clinic; a one-clinic user has nothing to choose.
            self.fields["clinic"].disabled = True
            self.fields["clinic"].initial = self.instance.clinic_id if self.instance.pk else clinics[0].pk
        self.fields["primary_cancer_other"].label = "Other primary cancer"
        if not self.is_bound and not self.instance.pk:
            self.fields["submission_id"].initial = new_submission_id()
        if self.instance.pk:
            self.fields["lock_version"].initial = self.instance.lock_version
        plain_words(self)

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        today = timezone.localdate()
        if born > today:
            raise forms.ValidationError(DATE_OF_BIRTH_IN_FUTURE)
        if born.year < today.year - 120:
            raise forms.ValidationError(DATE_OF_BIRTH_TOO_OLD)
        return born

    def clean_baseline_alp(self):
        value = self.cleaned_data["baseline_alp"]
        if value is not None:
            error = plausibility_error(ALP, value, U_L)
            if error:
                raise forms.ValidationError(as_sentence(error))
        return value

    def clean(self):
        cleaned = super().clean()
        cancer, other = cleaned.get("primary_cancer"), cleaned.get("primary_cancer_other", "").strip()
        if cancer == "other" and not other:
            self.add_error("primary_cancer_other", OTHER_CANCER_NEEDED)
        elif cancer and cancer != "other" and other:
            self.add_error("primary_cancer_other", OTHER_CANCER_ONLY_FOR_OTHER)
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        # A baseline typed wrongly is not a missing one: say only what to fix ("Use a decimal point: 1.5").
        errors = self.errors.get("baseline_alp")
        if errors and len(errors) > 1 and BASELINE_DATE_NEEDS_ALP in errors:
            self.errors["baseline_alp"] = self.error_class(
                [error for error in errors if error != BASELINE_DATE_NEEDS_ALP]
            )

    def validate_unique(self):
        # The clinic may be a disabled field, so check the per-clinic MRN here with a message staff understand.
        clinic, mrn = self.cleaned_data.get("clinic"), self.cleaned_data.get("mrn")
        if clinic and mrn:
            taken = Patient.objects.filter(clinic=clinic, mrn=mrn).exclude(pk=self.instance.pk).exists()
            if taken:
                self.add_error("mrn", MRN_TAKEN)

    def shown(self, name: str, value) -> str:
        """A stored value as this form's field would offer it (choices by their labels)."""
        labels = dict(getattr(self.fields[name], "choices", []))
        if isinstance(value, list):
            return ", ".join(str(labels.get(item, item)) for item in value) or "none"
        return "" if value in (None, "") else str(labels.get(value, value))

    def changes_between(self, before, after) -> list[tuple[str, str]]:
        """The fields of this form that differ between two saved versions: (label, value in `after`)."""
        return [
            (str(self.fields[name].label), self.shown(name, getattr(after, name)))
            for name in self.Meta.fields
            if name != "clinic" and _differs(getattr(before, name), getattr(after, name))
        ]

    def details(self) -> dict:
        """The cleaned values a service takes, without the clinic."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name != "clinic"}


def _differs(before, after) -> bool:
    """Lists (the known sites) are sets here: the same sites in another order are no change."""
    if isinstance(before, list) and isinstance(after, list):
        return sorted(map(str, before)) != sorted(map(str, after))
    return before != after

"""The visit form: symptom screen by section, labs with units, imaging orders, Mirels / SINS, notes.

It validates everything the rules will read (RULES.md §4.5) and hands the service a VisitEntry. With
`partial=True` (the live flag panel) it keeps whatever parts are valid, so half a form still shows flags.
"""

import datetime
from decimal import Decimal

from django import forms
from django.utils import timezone

from checklists.entries import ImagingEntry, LabEntry, VisitEntry
from checklists.messages import as_sentence
from checklists.models.choices import (
    IMAGING_CHOICES,
    MIRELS_CHOICES,
    SINS_CHOICES,
    Answer,
    ImagingUrgency,
)
from checklists.rules import scores, units
from checklists.rules.flags import SAFETY_FLOOR
from checklists.rules.vocabulary import SECTIONS
from checklists.services.visits import (
    INCOMPLETE_SCREEN,
    VOID_REASON_NEEDED,
    date_problems,
    questions_in_words,
    unanswered_floor_items,
)

from .fields import (
    ClinicalNumberField,
    LockVersionField,
    PlainWordsForm,
    SubmissionIdField,
    new_submission_id,
    plain_words,
)

FLOOR_UNANSWERED = "Answer this before completing the visit."
VALUE_NEEDED_FOR_RANGE = "Enter the result, or clear its reference range."
SCORE_INCOMPLETE = "Complete every part of the {score} score, or leave all of it empty."
REGION_NEEDED = "Say which region is to be imaged."
MODALITY_NEEDED = "Choose the kind of imaging."

DEFAULT_FOLLOW_UP = datetime.timedelta(weeks=12)
ANSWER_CHOICES = [(Answer.YES, "Yes"), (Answer.NO, "No")]
PAIN_CHOICES = [("", "Not asked")] + [(str(score), str(score)) for score in range(11)]


def _decimal_field(label: str, required=False) -> forms.DecimalField:
    return ClinicalNumberField(label=label, required=required, max_digits=9, decimal_places=3, min_value=Decimal("0"))


# Each lab of the form: prefix, analyte(s), units offered, label.
LABS = (
    ("calcium", "Serum calcium", (units.MMOL_L, units.MG_DL)),
    ("albumin", "Albumin", (units.G_L, units.G_DL)),
    ("alp", "Alkaline phosphatase (ALP)", (units.U_L,)),
)


class VisitForm(forms.Form):
    visit_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    pain_score = forms.TypedChoiceField(
        label="Pain score (0\u201310)", choices=PAIN_CHOICES, required=False, coerce=int, empty_value=None
    )
    labs_collected_on = forms.DateField(
        label="Bloods taken on",
        required=False,
        help_text="Leave empty if taken on the visit date.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    calcium_type = forms.ChoiceField(
        label="Type", choices=[(units.TOTAL, "Total"), (units.IONIZED, "Ionized")], initial=units.TOTAL
    )
    # The soft stop of RULES.md §4.5: shown with its message when a calcium reads as an emergency either way.
    calcium_unit_confirmed = forms.BooleanField(label="I have checked the unit: this result is right", required=False)
    # What the tick confirms ("5.8 mg/dL total"): a tick for another value or unit confirms nothing (issue 10).
    calcium_confirmed_for = forms.CharField(widget=forms.HiddenInput, required=False, max_length=60)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000)
    lock_version = LockVersionField()
    # The open urgent or emergency flags the person was shown as "will be withdrawn or lowered" and agreed to.
    withdraw = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)
    submission_id = SubmissionIdField()
    change_reason = forms.CharField(
        label="Reason for the change",
        required=False,
        max_length=300,
        help_text="Kept with the visit's history, and with any flag the change withdraws.",
    )
    next_follow_up_due = forms.DateField(
        label="Next follow-up due",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, items, partial=False, patient=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        self.partial = partial
        self.patient = patient
        if not self.is_bound:
            self.fields["submission_id"].initial = new_submission_id()
        elif self.fields["submission_id"].to_python(self.data.get(self.add_prefix("submission_id"))) is None:
            # A form sent back without a good id (an old page, a kept form) gets one now: its next save is once.
            self.data = self.data.copy()
            self.data[self.add_prefix("submission_id")] = new_submission_id()
        self.asks_unit_confirmation = False
        self.unit_confirmed = False  # the calcium's unit was confirmed for the value and unit now on the form
        self.confirmation_key = ""  # the value and unit a tick would confirm
        self.fields["visit_date"].initial = timezone.localdate()
        self.fields["next_follow_up_due"].initial = timezone.localdate() + DEFAULT_FOLLOW_UP
        for item in self.items:
            self.fields[f"answer_{item.key}"] = forms.ChoiceField(
                label=item.wording,
                choices=ANSWER_CHOICES,
                required=False,
                widget=forms.RadioSelect,
                help_text=item.help_text,
            )
        for prefix, label, lab_units in LABS:
            self.fields[f"{prefix}_value"] = _decimal_field(label)
            self.fields[f"{prefix}_unit"] = forms.ChoiceField(
                label="Unit", choices=[(unit, unit) for unit in lab_units], initial=lab_units[0]
            )
            self.fields[f"{prefix}_lower"] = _decimal_field("Lower limit (LLN)")
            self.fields[f"{prefix}_upper"] = _decimal_field("Upper limit (ULN)")
        for component, choices in MIRELS_CHOICES.items():
            self.fields[f"mirels_{component}"] = forms.ChoiceField(
                label=component.replace("_", " ").capitalize(), choices=[("", "\u2014")] + choices, required=False
            )
        for component, choices in SINS_CHOICES.items():
            self.fields[f"sins_{component}"] = forms.ChoiceField(
                label=component.replace("_", " ").capitalize(), choices=[("", "\u2014")] + choices, required=False
            )
        plain_words(self)

    # -- what the template walks -------------------------------------------------------------------------

    def sections(self):
        """The screen by section: [(section, [(bound field, on the safety floor), ...]), ...] in screen order."""
        grouped = []
        for section in SECTIONS:
            fields = [
                (self[f"answer_{item.key}"], item.key in SAFETY_FLOOR)
                for item in self.items
                if item.section == section.key
            ]
            if fields:
                grouped.append((section, fields))
        return grouped

    def lab_rows(self):
        return [
            (label, self[f"{prefix}_value"], self[f"{prefix}_unit"], self[f"{prefix}_lower"], self[f"{prefix}_upper"])
            for prefix, label, _units in LABS
        ]

    @property
    def score_help(self) -> dict:
        """The scores' ranges and bands in words, from the rules (RULES.md §5)."""
        fixation = scores.MIRELS_HIGH_FROM - 1
        return {
            "mirels": f"{scores.MIRELS_MIN}\u2013{scores.MIRELS_MAX}: {scores.bands_in_words(scores.MIRELS_BANDS)}. "
            f"The 1989 paper advised fixation at {fixation} or more.",
            "sins": f"{scores.SINS_MIN}\u2013{scores.SINS_MAX}: {scores.bands_in_words(scores.SINS_BANDS)}.",
            "mirels_max": scores.MIRELS_MAX,
            "sins_max": scores.SINS_MAX,
        }

    def mirels_fields(self):
        return [self[f"mirels_{component}"] for component in scores.MIRELS_POINTS]

    def sins_fields(self):
        return [self[f"sins_{component}"] for component in scores.SINS_POINTS]

    # -- validation ----------------------------------------------------------------------------------

    def clean(self):
        cleaned = super().clean()
        self._clean_calcium_type()
        for prefix, _label, _units in LABS:
            self._clean_lab(prefix)
        for name, table in (("mirels", scores.MIRELS_POINTS), ("sins", scores.SINS_POINTS)):
            self._clean_score(name, table)
        self._clean_dates()
        if self.is_complete and not self.partial:
            self._clean_safety_floor()
        return cleaned

    def clean_withdraw(self) -> frozenset[str]:
        return frozenset(self.cleaned_data["withdraw"].split())

    def _clean_dates(self):
        """The service's date rules, each next to its field (services.visits.date_problems)."""
        data = self.cleaned_data
        if data.get("visit_date") is None:
            return
        taken = data.get("labs_collected_on")
        problems = date_problems(
            data["visit_date"],
            today=timezone.localdate(),
            born=self.patient.date_of_birth if self.patient is not None else None,
            bloods_taken=[taken] if taken else [],
            follow_up=data.get("next_follow_up_due"),
        )
        for field, message in problems.items():
            if field not in self.errors:
                self.add_error(field, message)

    @property
    def is_complete(self) -> bool:
        return self.data.get("action") == "complete"

    def _clean_calcium_type(self):
        if (
            self.cleaned_data.get("calcium_type") == units.IONIZED
            and self.cleaned_data.get("calcium_unit") == units.MG_DL
        ):
            self.add_error("calcium_unit", "Ionized calcium is graded in mmol/L only; enter it in mmol/L.")

    def _analyte(self, prefix: str) -> str:
        if prefix == "calcium":
            ionized = self.cleaned_data.get("calcium_type") == units.IONIZED
            return units.CALCIUM_IONIZED if ionized else units.CALCIUM_TOTAL
        return units.ALBUMIN if prefix == "albumin" else units.ALP

    def _clean_lab(self, prefix: str) -> None:
        value = self.cleaned_data.get(f"{prefix}_value")
        unit = self.cleaned_data.get(f"{prefix}_unit")
        lower = self.cleaned_data.get(f"{prefix}_lower")
        upper = self.cleaned_data.get(f"{prefix}_upper")
        if unit is None:
            return
        analyte = self._analyte(prefix)
        if value is None:
            if (lower is not None or upper is not None) and f"{prefix}_value" not in self.errors:
                self.add_error(f"{prefix}_value", VALUE_NEEDED_FOR_RANGE)
            return
        error = units.plausibility_error(analyte, value, unit)
        if error:
            self.add_error(f"{prefix}_value", as_sentence(error))
        elif prefix == "calcium":
            soft_stop = units.unit_confirmation_needed(analyte, value, unit)
            self.asks_unit_confirmation = bool(soft_stop)
            if soft_stop:
                self.confirmation_key = confirmation_key(value, unit, self.cleaned_data.get("calcium_type"))
                ticked = self.cleaned_data.get("calcium_unit_confirmed")
                self.unit_confirmed = (
                    bool(ticked) and self.cleaned_data.get("calcium_confirmed_for") == self.confirmation_key
                )
                if not self.unit_confirmed:
                    self.add_error("calcium_value", soft_stop)
                    if ticked:  # ticked for another value or unit: show it unticked, to be ticked for this one
                        self.data = self.data.copy()
                        self.data.pop(self.add_prefix("calcium_unit_confirmed"), None)
        for name, limit, which in (
            (f"{prefix}_lower", lower, "lower limit"),
            (f"{prefix}_upper", upper, "upper limit"),
        ):
            if limit is not None:
                limit_error = units.limit_error(analyte, limit, unit, which)
                if limit_error:
                    self.add_error(name, as_sentence(limit_error))
        if lower is not None and upper is not None and f"{prefix}_upper" not in self.errors:
            order_error = units.range_error(lower, upper)
            if order_error:
                self.add_error(f"{prefix}_upper", as_sentence(order_error))

    def _clean_score(self, name: str, table: dict) -> None:
        chosen = {component: self.cleaned_data.get(f"{name}_{component}") for component in table}
        if any(chosen.values()) and not all(chosen.values()):
            label = "Mirels" if name == "mirels" else "SINS"
            for component, word in chosen.items():
                if not word:
                    self.add_error(f"{name}_{component}", SCORE_INCOMPLETE.format(score=label))

    def _clean_safety_floor(self) -> None:
        """The service's rule (a complete visit answers every safety-floor item), shown next to each item."""
        answers = {item.key: self.cleaned_data.get(f"answer_{item.key}") for item in self.items}
        missing = unanswered_floor_items(self.items, answers)
        for item in missing:
            self.add_error(f"answer_{item.key}", FLOOR_UNANSWERED)
        if missing:
            self.add_error(None, INCOMPLETE_SCREEN.format(items=questions_in_words(missing)))

    # -- the domain values ------------------------------------------------------------------------------

    def entry(self, imaging=()) -> VisitEntry:
        """The validated values as a VisitEntry; with partial=True, only the parts that validated."""
        data = self.cleaned_data
        return VisitEntry(
            visit_date=data.get("visit_date") or timezone.localdate(),
            answers={item.key: data.get(f"answer_{item.key}") or Answer.NOT_ASKED for item in self.items},
            pain_score=data.get("pain_score"),
            labs=tuple(self._lab_entries()),
            imaging=tuple(imaging),
            mirels=self._score_entry("mirels", scores.MIRELS_POINTS),
            sins=self._score_entry("sins", scores.SINS_POINTS),
            notes=data.get("notes", ""),
            next_follow_up_due=data.get("next_follow_up_due"),
            complete=self.is_complete,
        )

    def _lab_entries(self):
        data = self.cleaned_data
        for prefix, _label, _units in LABS:
            names = [f"{prefix}_{part}" for part in ("value", "unit", "lower", "upper")]
            if data.get(f"{prefix}_value") is None or any(name in self.errors for name in names):
                continue
            if prefix == "calcium" and "calcium_unit" in self.errors:
                continue
            yield LabEntry(
                analyte=self._analyte(prefix),
                value=data[f"{prefix}_value"],
                unit=data[f"{prefix}_unit"],
                reference_lower=data.get(f"{prefix}_lower"),
                reference_upper=data.get(f"{prefix}_upper"),
                collected_on=data.get("labs_collected_on"),
                unit_confirmed=prefix == "calcium" and self.unit_confirmed,
            )

    def _score_entry(self, name: str, table: dict):
        chosen = {component: self.cleaned_data.get(f"{name}_{component}") for component in table}
        return chosen if all(chosen.values()) else None

    def no_to_all(self, section: str) -> dict:
        """Return the submitted data with every unanswered item of the section answered No (keeps any Yes)."""
        data = self.data.copy()
        for item in self.items:
            name = self.add_prefix(f"answer_{item.key}")
            if item.section == section and not data.get(name):
                data[name] = Answer.NO
        return data


def confirmation_key(value, unit: str, calcium_type) -> str:
    """The value, unit and type a unit confirmation is for, as the page carries it."""
    return f"{units.plain(value)} {unit} {calcium_type or units.TOTAL}"


PREFIX_OF_ANALYTE = {
    units.CALCIUM_TOTAL: "calcium",
    units.CALCIUM_IONIZED: "calcium",
    units.ALBUMIN: "albumin",
    units.ALP: "alp",
}


def initial_from(entry: VisitEntry, lock_version: int) -> tuple[dict, list[dict]]:
    """The initial data of the visit form and of its imaging rows for an entry (editing a saved visit)."""
    initial = {
        "visit_date": entry.visit_date,
        "pain_score": entry.pain_score,
        "notes": entry.notes,
        "next_follow_up_due": entry.next_follow_up_due,
        "lock_version": lock_version,
    }
    initial |= {f"answer_{key}": answer for key, answer in entry.answers.items() if answer != Answer.NOT_ASKED}
    for lab in entry.labs:
        prefix = PREFIX_OF_ANALYTE[lab.analyte]
        initial |= {
            f"{prefix}_value": units.plain(lab.value),
            f"{prefix}_unit": lab.unit,
            "labs_collected_on": lab.collected_on,
        }
        if lab.reference_upper is not None:
            initial |= {
                f"{prefix}_lower": units.plain(lab.reference_lower) or None,
                f"{prefix}_upper": units.plain(lab.reference_upper),
            }
        if lab.analyte == units.CALCIUM_IONIZED:
            initial["calcium_type"] = units.IONIZED
        if lab.unit_confirmed:
            calcium_type = units.IONIZED if lab.analyte == units.CALCIUM_IONIZED else units.TOTAL
            initial["calcium_unit_confirmed"] = True
            initial["calcium_confirmed_for"] = confirmation_key(lab.value, lab.unit, calcium_type)
    for name in ("mirels", "sins"):
        initial |= {f"{name}_{component}": word for component, word in (getattr(entry, name) or {}).items()}
    imaging = [
        {"modality": o.modality, "region": o.region, "urgency": o.urgency, "reason": o.reason} for o in entry.imaging
    ]
    return initial, imaging


class ImagingForm(PlainWordsForm):
    modality = forms.ChoiceField(choices=[("", "\u2014")] + IMAGING_CHOICES, required=False)
    region = forms.CharField(
        max_length=120, required=False, widget=forms.TextInput(attrs={"placeholder": "e.g. whole spine"})
    )
    urgency = forms.ChoiceField(choices=ImagingUrgency.choices, initial=ImagingUrgency.ROUTINE)
    reason = forms.CharField(max_length=200, required=False)

    def clean(self):
        cleaned = super().clean()
        modality, region = cleaned.get("modality"), (cleaned.get("region") or "").strip()
        if region and not modality:
            self.add_error("modality", MODALITY_NEEDED)
        if modality and not region:
            self.add_error("region", REGION_NEEDED)
        return cleaned

    def entry(self) -> ImagingEntry | None:
        data = self.cleaned_data
        if not data.get("modality"):
            return None
        return ImagingEntry(data["modality"], data["region"].strip(), data["urgency"], data.get("reason", "").strip())


# absolute_max: a request claiming 99,999,999 rows is refused at 20, never built (issue 9, "cheap requests").
MAX_IMAGING_ORDERS = 20
ImagingFormSet = forms.formset_factory(
    ImagingForm, extra=1, max_num=MAX_IMAGING_ORDERS, validate_max=True, absolute_max=MAX_IMAGING_ORDERS
)


class LockForm(PlainWordsForm):
    """The version of a visit a page was showing (optimistic locking), parsed like any other input."""

    lock_version = forms.IntegerField(min_value=0)


class ReEvaluateForm(LockForm):
    """Apply today's rules: the version looked at, and, when open urgent or emergency flags would be withdrawn or
    lowered, the flags shown and the person's reason."""

    withdraw = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)
    reason = forms.CharField(label="Why may these flags be withdrawn or lowered?", required=False, max_length=300)

    def clean_withdraw(self) -> frozenset[str]:
        return frozenset(self.cleaned_data["withdraw"].split())


class VoidForm(PlainWordsForm):
    reason = forms.CharField(
        label="Why is this visit voided?",
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": "e.g. entered for the wrong patient"}),
        error_messages={"required": VOID_REASON_NEEDED},
    )


def imaging_entries(formset, partial=False) -> list[ImagingEntry]:
    """The orders of the valid rows (with partial, whatever rows validated)."""
    entries = []
    for form in formset.forms:
        if (partial and form.errors) or not hasattr(form, "cleaned_data"):
            continue
        entry = form.entry()
        if entry:
            entries.append(entry)
    return entries

"""Issue 11 §5: no input gives a 500. For every form of the app (as its page renders it: hidden fields and the
no-JavaScript buttons included, plus every field its Django form declares) and every field of it, hypothesis
posts arbitrary text in that field, the rest of the form as a valid save would send it. Every answer is 200, 302
or 409, and the database never holds part of a visit or patient.

FUZZ_EXAMPLES sets the examples per field: a few in `make test`, 200 in CI's fuzz step (.ci/run), which also
prints the request counts this writes to test-artifacts/fuzz-report-<examples>.txt. The 45 screen answers share theirs.
"""

import collections
import os
from pathlib import Path

import pytest
from django.db.models import Count
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checklists import services
from checklists.forms import PatientForm, ReviewForm, VisitForm, VoidForm
from checklists.forms.visit import ImagingForm, ReEvaluateForm
from checklists.models import Patient, Visit
from tests.conftest import lab, make_patient, visit_entry
from tests.views.helpers import login
from tests.views.test_patient_new import VALID as PATIENT
from tests.views.test_visit_new import form_data

from .page_forms import forms_of

pytestmark = pytest.mark.django_db
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))
ANSWERS = {200, 302, 409}
REPORT = Path(__file__).resolve().parents[2] / "test-artifacts" / f"fuzz-report-{EXAMPLES}.txt"
requests: collections.Counter = collections.Counter()
failures: collections.Counter = collections.Counter()

# Text as staff (and attackers) type it: anything at all, numbers in every shape, dates, and the edges.
TEXT = st.one_of(
    st.text(max_size=300),
    st.from_regex(r"-?[0-9٠-٩_]{0,30}([.,][0-9]{0,12})?(e-?[0-9]{1,4})?", fullmatch=True),
    st.from_regex(r"[0-9]{1,6}-[0-9]{1,3}-[0-9]{1,3}", fullmatch=True),
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "-1",
            "1e309",
            "NaN",
            "inf",
            "99999999999999999999",
            "3.",
            ".5",
            "2,6",
            "\x00",
            "1_000",
            "yes",
            "no",
            "not_asked",
            "complete",
            "draft",
            "9999-12-31",
            "0001-01-01",
            "00000000-0000-0000-0000-000000000000",
            "<script>",
            "' OR 1=1 --",
            "\u202e",
            "a" * 5000,
        ]
    ),
)


@pytest.fixture
def world(nurse, clinic_a):
    """A patient with an open emergency (a visit to edit, review, void and re-evaluate) and a second patient."""
    patient = make_patient(clinic_a, mrn="FUZZ-1")
    visit = services.record_visit(
        patient=patient,
        seen_by=nurse,
        entry=visit_entry(
            limb_weakness=True, labs=[lab("calcium_total", "3.1", "mmol/L"), lab("albumin", "30", "g/L")]
        ),
    )
    return {"patient": patient, "visit": visit, "flag": visit.flags.first(), "client": login(nurse)}


def visit_form_names():
    return {
        *VisitForm.base_fields,
        "stay",
        "action",
        "add_imaging",
        "no_to_all",
        "typed_by",
        "withdraw",
        "change_reason",
    }


def imaging_names():
    names = {f"imaging-0-{name}" for name in ImagingForm.base_fields}
    return names | {f"imaging-{part}" for part in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")}


# Each target: the page that renders the form, how to pick the form on it, the URL it is sent to, the valid
# data a save sends, and the fields its Django form declares (posted even where the page does not render them).
def targets(world):
    patient, visit, flag = world["patient"], world["visit"], world["flag"]
    new_visit = reverse("checklists:visit-new", args=[patient.pk])
    edit_visit = reverse("checklists:visit-edit", args=[visit.pk])
    valid_visit = form_data(answer_limb_weakness="yes", calcium_value="2.4", albumin_value="40", notes="n")
    return {
        "visit-new": (new_visit, "visit-form", new_visit, valid_visit, visit_form_names() | imaging_names()),
        "visit-preview": (
            new_visit,
            "visit-form",
            reverse("checklists:visit-preview", args=[patient.pk]),
            valid_visit,
            visit_form_names() | imaging_names(),
        ),
        "visit-autosave": (
            new_visit,
            "visit-form",
            reverse("checklists:visit-autosave", args=[patient.pk]),
            valid_visit,
            visit_form_names() | imaging_names(),
        ),
        "visit-edit": (edit_visit, "visit-form", edit_visit, None, visit_form_names() | imaging_names()),
        "visit-edit-preview": (
            edit_visit,
            "visit-form",
            reverse("checklists:visit-edit-preview", args=[visit.pk]),
            None,
            visit_form_names() | imaging_names(),
        ),
        "visit-edit-autosave": (
            edit_visit,
            "visit-form",
            reverse("checklists:visit-edit-autosave", args=[visit.pk]),
            None,
            visit_form_names() | imaging_names(),
        ),
        "flag-review": (
            reverse("checklists:flag-review", args=[flag.pk]),
            None,
            reverse("checklists:flag-review", args=[flag.pk]),
            {"action": "mri_arranged", "note": "Seen, MRI today."},
            {*ReviewForm.base_fields, "next"},
        ),
        "visit-void": (
            reverse("checklists:visit-void", args=[visit.pk]),
            None,
            reverse("checklists:visit-void", args=[visit.pk]),
            {"reason": "wrong patient"},
            set(VoidForm.base_fields),
        ),
        "visit-re-evaluate": (
            reverse("checklists:visit-re-evaluate", args=[visit.pk]),
            None,
            reverse("checklists:visit-re-evaluate", args=[visit.pk]),
            {"lock_version": str(visit.lock_version)},
            set(ReEvaluateForm.base_fields),
        ),
        "patient-new": (
            reverse("checklists:patient-new"),
            None,
            reverse("checklists:patient-new"),
            dict(PATIENT),
            {*PatientForm.base_fields, "stay", "typed_by"},
        ),
        "patient-edit": (
            reverse("checklists:patient-edit", args=[patient.pk]),
            None,
            reverse("checklists:patient-edit", args=[patient.pk]),
            None,
            {*PatientForm.base_fields, "stay", "typed_by"},
        ),
        "patient-search": (
            reverse("checklists:patient-list"),
            "search",
            reverse("checklists:patient-list"),
            {"q": "smith"},
            {"q"},
        ),
    }


GETS = {
    "patient-list": ("checklists:patient-list", {"search", "page"}),
    "worklist": ("checklists:worklist", {"tier", "clinic", "page", "overdue"}),
    "withdrawn-flags": ("checklists:withdrawn-flags", {"tier", "clinic", "page"}),
    "drafts": ("checklists:drafts", {"whose", "page"}),
    "follow-ups": ("checklists:follow-ups", {"page", "clinic", "due"}),
    "review-times": ("checklists:review-times", {"clinic"}),
    "review-times-export": ("checklists:review-times-export", {"clinic"}),
}

# The forms (and the fetch endpoints that take the visit form); their fields are read from their pages.
FORMS = [
    "visit-new",
    "visit-edit",
    "visit-preview",
    "visit-edit-preview",
    "visit-autosave",
    "visit-edit-autosave",
    "flag-review",
    "visit-void",
    "visit-re-evaluate",
    "patient-new",
    "patient-edit",
    "patient-search",
]


def page_form(client, page_url, form_id, action):
    forms = forms_of(client.get(page_url).content.decode())
    for form in forms:
        if form.method == "post" and (
            form.id == form_id
            or (form_id is None and form.action in ("", action))
            or (form_id == "search" and form.action == action)
        ):
            return form
    return None


def form_on_its_page(world, name):
    """The target's fields and the data a valid save sends, read from its page once per test."""
    page_url, form_id, action, valid, declared = targets(world)[name]
    form = page_form(world["client"], page_url, form_id, action)
    assert form is not None or name == "visit-re-evaluate", f"no form of {name} on {page_url}"
    names = (set(form.names) if form else set()) | declared
    fields = sorted(field for field in names if "__prefix__" not in field and field != "csrfmiddlewaretoken")
    sent = {key: values for key, values in (form.values.items() if form else ()) if "__prefix__" not in key}
    if valid is None:  # an edit: what the page shows, saved as complete
        return fields, sent | {"action": ["complete"]}, action
    return fields, sent | {key: [value] for key, value in valid.items()}, action


def whole():
    """Nothing half-saved: all visits of one checklist version have the same number of answers (a visit is
    stored whole or not at all), each has its stored evaluation, and no patient lacks an MRN."""
    counts = (
        Visit.objects.order_by()
        .annotate(answered=Count("answers"))
        .values_list("checklist_version", "answered")
        .distinct()
    )
    versions = [version for version, _answered in counts]
    assert len(versions) == len(set(versions)), list(counts)
    assert not Visit.objects.filter(answers__isnull=True).exists()
    assert not Visit.objects.filter(evaluation={}).exists()
    assert not Patient.objects.filter(mrn="").exists()


@pytest.fixture(autouse=True)
def report():
    """Written after every test, so a long run stopped part-way still tells what it did."""
    yield
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    lines = [
        f"{target}: {count} requests, {failures[target]} not 200/302/409" for target, count in sorted(requests.items())
    ]
    lines.append(
        f"total: {sum(requests.values())} requests, {sum(failures.values())} not 200/302/409, "
        f"{EXAMPLES} examples per field"
    )
    REPORT.write_text("\n".join(lines) + "\n")


def with_any_text(send, fields=None):
    """Run send(text) for EXAMPLES texts that hypothesis picks (shrinking any failure to its simplest text); with
    `fields`, each example also picks which of them gets the text."""
    strategies = {"text": TEXT} if fields is None else {"text": TEXT, "field": st.sampled_from(fields)}
    settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )(given(**strategies)(send))()


def checked(target, response):
    requests[target] += 1
    if response.status_code not in ANSWERS:
        failures[target] += 1
    return response.status_code


@pytest.mark.parametrize("target", FORMS)
def test_every_field_of_every_form_takes_any_text(world, target):
    fields, baseline, url = form_on_its_page(world, target)

    def post(field):
        def send(text):
            status = checked(target, world["client"].post(url, baseline | {field: [text]}))
            assert status in ANSWERS, (target, field, text, status)
            whole()

        return send

    # The screen's answers are one kind of field (one choice field per checklist item, 45 of them): they share
    # their examples, each example picking the answer it sends, so the CI run stays within its time.
    answers = [field for field in fields if field.startswith("answer_")]
    for field in fields:
        if field not in answers:
            with_any_text(post(field))
    if answers:
        with_any_text(lambda text, field: post(field)(text), fields=answers)


@pytest.mark.parametrize("page", list(GETS))
def test_every_filter_takes_any_text(world, page):
    name, fields = GETS[page]

    def get(field):
        def send(text):
            status = checked(page, world["client"].get(reverse(name), {field: text}))
            assert status in ANSWERS, (page, field, text, status)

        return send

    for field in sorted(fields):
        with_any_text(get(field))

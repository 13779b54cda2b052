"""Arbitrary text in any field of the visit and patient forms: never a 500, never half a visit (hypothesis)."""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checklists.models import ImagingOrder, LabResult, Patient, ScreenAnswer, Visit
from tests.conftest import screen_items

pytestmark = pytest.mark.django_db
FUZZ = settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)

junk = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        ["", "0", "-1", "1e400", "NaN", "2.6", "250", "99999999999", "2026-02-30", "yes", "mg/dL", "\x00", "<script>"]
    ),
)


def visit_form():
    data = {
        "visit_date": "2026-11-02",
        "calcium_value": "2.4",
        "calcium_unit": "mmol/L",
        "calcium_type": "total",
        "albumin_value": "38",
        "albumin_unit": "g/L",
        "alp_value": "90",
        "alp_unit": "U/L",
        "pain_score": "3",
        "notes": "ok",
        "imaging-TOTAL_FORMS": "1",
        "imaging-INITIAL_FORMS": "0",
        "imaging-0-modality": "xray",
        "imaging-0-region": "pelvis",
        "imaging-0-urgency": "routine",
        "mirels_site": "",
        "sins_pain": "",
        "next_follow_up_due": "",
        "labs_collected_on": "",
        "action": "complete",
    }
    data |= {f"answer_{item.key}": "no" for item in screen_items()}
    return data


def patient_form():
    return {
        "mrn": "F1",
        "family_name": "Fuzz",
        "given_name": "Zed",
        "date_of_birth": "1950-01-01",
        "sex": "male",
        "primary_cancer": "lung",
        "primary_cancer_other": "",
        "known_sites": "ribs",
        "bone_agent": "",
        "baseline_alp": "",
        "baseline_alp_measured_on": "",
        "clinic": "",
    }


def client_for(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def rows():
    return (
        Visit.objects.count(),
        ScreenAnswer.objects.count(),
        LabResult.objects.count(),
        ImagingOrder.objects.count(),
    )


@FUZZ
@given(data=st.data())
def test_visit_form_never_fails_and_never_saves_half(nurse, patient, data):
    fields = visit_form()
    for name in data.draw(st.lists(st.sampled_from(sorted(fields)), max_size=6, unique=True)):
        fields[name] = data.draw(junk)
    before = rows()
    response = client_for(nurse).post(reverse("checklists:visit-new", args=[patient.pk]), fields)
    assert response.status_code in (200, 302)
    after = rows()
    if response.status_code == 200:
        assert after == before
    else:
        assert after[0] == before[0] + 1
        assert after[1] == before[1] + len(screen_items())


@FUZZ
@given(data=st.data())
def test_patient_form_never_fails_and_never_saves_half(nurse, data):
    fields = patient_form()
    for name in data.draw(st.lists(st.sampled_from(sorted(fields)), max_size=5, unique=True)):
        fields[name] = data.draw(junk)
    fields["mrn"] = f"{fields['mrn']}-{Patient.objects.count()}" if fields["mrn"] == "F1" else fields["mrn"]
    before = Patient.objects.count()
    response = client_for(nurse).post(reverse("checklists:patient-new"), fields)
    assert response.status_code in (200, 302)
    assert Patient.objects.count() == before + (1 if response.status_code == 302 else 0)

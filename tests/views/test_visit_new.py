"""Log a visit: saved with its flags; refusals keep every answer; the no-JavaScript buttons work."""

import pytest
from django.urls import reverse

from checklists.models import LabResult, ScreenAnswer, Visit
from tests.conftest import screen_items

from .helpers import assert_login_redirect, login

pytestmark = pytest.mark.django_db


def url(patient):
    return reverse("checklists:visit-new", args=[patient.pk])


def form_data(**overrides) -> dict:
    data = {
        "visit_date": "2026-11-02",
        "calcium_unit": "mmol/L",
        "calcium_type": "total",
        "albumin_unit": "g/L",
        "alp_unit": "U/L",
        "imaging-TOTAL_FORMS": "1",
        "imaging-INITIAL_FORMS": "0",
        "imaging-0-urgency": "routine",
        "action": "complete",
    }
    data |= {f"answer_{item.key}": "no" for item in screen_items()}
    return data | overrides


def test_logs_a_visit_with_its_flags(nurse, patient):
    data = form_data(
        answer_limb_weakness="yes",
        calcium_value="3.2",
        albumin_value="30",
        **{"imaging-0-modality": "mri", "imaging-0-region": "whole spine", "imaging-0-urgency": "emergency"},
    )
    response = login(nurse).post(url(patient), data)
    visit = Visit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == visit.get_absolute_url()
    assert (visit.status, visit.tier, visit.seen_by) == ("complete", "emergency", nurse)
    assert set(visit.flags.values_list("code", flat=True)) == {"MSCC_SUSPECTED", "HYPERCALCAEMIA_LAB"}
    assert visit.imaging_orders.get().region == "whole spine"
    assert visit.history.first().history_user == nurse


def test_a_visit_with_no_findings_has_no_flags(nurse, patient):
    login(nurse).post(url(patient), form_data())
    visit = Visit.objects.get()
    assert visit.tier == "none"
    assert visit.flags.count() == 0


def test_implausible_calcium_is_refused_and_every_answer_kept(nurse, patient):
    data = form_data(
        answer_limb_weakness="yes",
        answer_nausea="yes",
        calcium_value="250",
        calcium_unit="mg/dL",
        albumin_value="30",
        pain_score="6",
        notes="Walked in with a stick.",
    )
    response = login(nurse).post(url(patient), data)
    assert response.status_code == 200
    assert (Visit.objects.count(), ScreenAnswer.objects.count(), LabResult.objects.count()) == (0, 0, 0)
    content = response.content.decode()
    assert "250 mg/dL is not a plausible calcium (plausible range 4.0\u201325.0 mg/dL)." in content
    assert 'id="id_answer_limb_weakness_0" value="yes" checked' in content
    assert 'id="id_answer_nausea_0" value="yes" checked' in content
    assert 'value="30"' in content
    assert 'value="6" selected' in content
    assert "Walked in with a stick." in content
    assert 'value="mg/dL" selected' in content


def test_complete_with_unanswered_floor_items_says_which(nurse, patient):
    data = form_data(answer_numbness="", answer_difficulty_walking="")
    response = login(nurse).post(url(patient), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert (
        "To complete the visit, answer: New numbness or tingling in an area of the body? New difficulty walking?"
        in content
    )
    assert Visit.objects.count() == 0


def test_the_same_answers_save_as_a_draft(nurse, patient):
    login(nurse).post(url(patient), form_data(answer_numbness="", action="draft"))
    assert Visit.objects.get().status == "draft"


def test_no_to_all_without_javascript_fills_the_section_and_saves_nothing(nurse, patient):
    data = form_data(answer_limb_weakness="yes", no_to_all="spinal_cord")
    for key in ("limb_weakness", "numbness", "difficulty_walking"):
        data.pop(f"answer_{key}") if key != "limb_weakness" else None
    response = login(nurse).post(url(patient), data)
    assert response.status_code == 200
    assert Visit.objects.count() == 0
    content = response.content.decode()
    assert 'id="id_answer_limb_weakness_0" value="yes" checked' in content
    assert 'id="id_answer_numbness_1" value="no" checked' in content


def test_add_imaging_without_javascript_adds_a_row(nurse, patient):
    response = login(nurse).post(
        url(patient), form_data(add_imaging="1", **{"imaging-0-modality": "xray", "imaging-0-region": "pelvis"})
    )
    assert response.status_code == 200
    assert response.context["imaging"].total_form_count() == 2
    assert b'name="imaging-1-modality"' in response.content
    assert Visit.objects.count() == 0


def test_form_page_lists_the_screen_by_section(nurse, patient):
    response = login(nurse).get(url(patient))
    assert response.status_code == 200
    content = response.content.decode()
    assert content.index("Bone pain") < content.index("Spinal cord") < content.index("Treatment")
    assert 'name="no_to_all" value="spinal_cord"' in content
    assert "New weakness in the legs or arms?" in content


def test_another_clinics_patient_is_404(outsider, patient):
    assert login(outsider).get(url(patient)).status_code == 404
    assert login(outsider).post(url(patient), form_data()).status_code == 404
    assert Visit.objects.count() == 0


def test_anonymous_goes_to_login(client, patient):
    assert_login_redirect(client.post(url(patient), form_data()), url(patient))


def test_wrong_method(nurse, patient):
    assert login(nurse).put(url(patient)).status_code == 405


def test_a_request_claiming_millions_of_imaging_rows_is_refused_quickly(nurse, patient):
    """No POST can make the server build an unbounded form (issue 9): the formset stops at its absolute_max."""
    import time

    client = login(nurse)
    started = time.perf_counter()
    response = client.post(
        url(patient), {"visit_date": "2026-11-02", "imaging-TOTAL_FORMS": "99999999", "imaging-INITIAL_FORMS": "0"}
    )
    assert time.perf_counter() - started < 2
    assert response.status_code == 200
    assert "Please submit at most 20 forms." in response.content.decode()
    assert not patient.visits.exists()

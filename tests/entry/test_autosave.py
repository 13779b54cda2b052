"""Issue 11 §1: the visit form is kept on the server every 30 seconds while it changes, for its author only,
offered back as "Continue the draft started at HH:MM", and gone once the visit is saved."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from freezegun import freeze_time

from checklists import services
from checklists.models import AutosavedVisitForm, Visit
from checklists.services import autosave
from tests.conftest import make_patient
from tests.views.helpers import login
from tests.views.test_visit_new import form_data

pytestmark = pytest.mark.django_db
START = datetime.datetime(2026, 11, 2, 8, 0, tzinfo=datetime.UTC)


def new_url(patient):
    return reverse("checklists:visit-new", args=[patient.pk])


def autosave_url(patient):
    return reverse("checklists:visit-autosave", args=[patient.pk])


def test_the_form_is_kept_for_its_author_and_offered_back(nurse, patient):
    client = login(nurse)
    typed = form_data(answer_limb_weakness="yes", calcium_value="2.95", notes="Phone call at 10:40")
    with freeze_time(START) as clock:
        assert client.post(autosave_url(patient), typed).status_code == 200
        clock.tick(datetime.timedelta(seconds=30))
        assert client.post(autosave_url(patient), typed | {"notes": "Phone call at 10:41"}).status_code == 200
        kept = AutosavedVisitForm.objects.get()
        assert kept.data["notes"] == ["Phone call at 10:41"] and "csrfmiddlewaretoken" not in kept.data
        assert kept.started_at == START and kept.saved_at == START + datetime.timedelta(seconds=30)
        patient_page = client.get(reverse("checklists:patient-detail", args=[patient.pk])).content.decode()
        assert "Continue the draft started at" in patient_page
        assert Visit.objects.count() == 0  # an autosave is not a visit

        form = client.get(new_url(patient) + "?continue=autosave").content.decode()
    assert "Phone call at 10:41" in form and 'value="2.95"' in form
    assert 'id="id_answer_limb_weakness_0" value="yes" checked' in form


def test_nobody_else_sees_it(nurse, doctor, patient):
    login(nurse).post(autosave_url(patient), form_data(notes="Mine"))
    other = login(doctor)
    assert (
        "Continue the draft" not in other.get(reverse("checklists:patient-detail", args=[patient.pk])).content.decode()
    )
    assert "Mine" not in other.get(new_url(patient) + "?continue=autosave").content.decode()


def test_another_clinics_patient_cannot_be_autosaved(nurse, clinic_b):
    stranger = make_patient(clinic_b, mrn="B1")
    assert login(nurse).post(autosave_url(stranger), form_data()).status_code == 404
    assert AutosavedVisitForm.objects.count() == 0


def test_saving_the_visit_deletes_it(nurse, patient):
    client = login(nurse)
    data = form_data(answer_limb_weakness="yes")
    client.post(autosave_url(patient), data)
    assert client.post(new_url(patient), data).status_code == 302
    assert AutosavedVisitForm.objects.count() == 0
    assert (
        "Continue the draft" not in client.get(reverse("checklists:patient-detail", args=[patient.pk])).content.decode()
    )


def test_an_autosave_arriving_after_the_save_is_not_kept(nurse, patient):
    client = login(nurse)
    data = form_data(submission_id="0f5e2f6c-8f0e-4c57-9a8e-3d8a8c1f7b21")
    client.post(new_url(patient), data)
    assert client.post(autosave_url(patient), data).status_code == 200
    assert AutosavedVisitForm.objects.count() == 0


def test_editing_a_visit_is_kept_apart_from_a_new_one(nurse, patient):
    client = login(nurse)
    client.post(new_url(patient), form_data())
    visit = Visit.objects.get()
    edit_autosave = reverse("checklists:visit-edit-autosave", args=[visit.pk])
    editing = form_data(notes="Edit in progress", lock_version=str(visit.lock_version))
    assert client.post(edit_autosave, editing).status_code == 200
    assert AutosavedVisitForm.objects.get().visit == visit
    edit_page = client.get(reverse("checklists:visit-edit", args=[visit.pk])).content.decode()
    assert "Continue the draft started at" in edit_page
    continued = client.get(reverse("checklists:visit-edit", args=[visit.pk]) + "?continue=autosave")
    assert "Edit in progress" in continued.content.decode()
    assert "Continue the draft" not in client.get(new_url(patient)).content.decode()


def test_discarding_it(nurse, patient):
    client = login(nurse)
    client.post(autosave_url(patient), form_data(notes="Not wanted"))
    response = client.post(reverse("checklists:visit-autosave-discard", args=[patient.pk]), follow=True)
    assert "The autosaved visit was discarded." in response.content.decode()
    assert AutosavedVisitForm.objects.count() == 0


def test_old_autosaves_go(nurse, patient):
    with freeze_time(START) as clock:
        client = login(nurse)
        client.post(autosave_url(patient), form_data(notes="Old"))
        clock.tick(autosave.AUTOSAVE_KEEP + datetime.timedelta(minutes=1))
        assert autosave.autosaved(user=nurse, patient=patient) is None
        autosave.autosave(user=nurse, patient=make_patient(patient.clinic, mrn="X2"), data={"notes": ["New"]})
    assert list(AutosavedVisitForm.objects.values_list("data", flat=True)) == [{"notes": ["New"]}]


def test_a_signed_out_autosave_answers_401_and_keeps_nothing(nurse, patient):
    response = Client().post(autosave_url(patient), form_data(notes="Typed"), headers={"X-Requested-With": "fetch"})
    assert response.status_code == 401
    assert AutosavedVisitForm.objects.count() == 0


def test_a_nul_character_is_dropped_not_a_500(nurse, patient):
    """Found by the fuzz test on PostgreSQL: jsonb cannot hold \\u0000."""
    response = login(nurse).post(autosave_url(patient), form_data(notes="a\x00b", **{"x\x00": "y"}))
    assert response.status_code == 200
    assert AutosavedVisitForm.objects.get().data["notes"] == ["ab"]


def test_an_edit_autosave_after_the_edit_was_saved_or_the_visit_voided_is_not_kept(nurse, patient):
    """Issue 11 review: the autosave still on its way when Save went through must not offer the edit again."""
    client = login(nurse)
    client.post(new_url(patient), form_data())
    visit = Visit.objects.get()
    started = str(visit.lock_version)
    edit = reverse("checklists:visit-edit", args=[visit.pk])
    assert client.post(edit, form_data(notes="Saved edit", lock_version=started)).status_code == 302
    late = client.post(reverse("checklists:visit-edit-autosave", args=[visit.pk]), form_data(lock_version=started))
    assert late.content.decode() == "Already saved." and AutosavedVisitForm.objects.count() == 0
    services.void_visit(visit=Visit.objects.get(), by=nurse, reason="wrong patient")
    current = str(Visit.objects.get().lock_version)
    client.post(reverse("checklists:visit-edit-autosave", args=[visit.pk]), form_data(lock_version=current))
    assert AutosavedVisitForm.objects.count() == 0


def test_a_new_form_page_starts_a_new_autosave(nurse, patient):
    """Another form (another submission id) replaces the old autosave and says when it started."""
    with freeze_time(START) as clock:
        client = login(nurse)
        client.post(
            autosave_url(patient), form_data(notes="First", submission_id="0f5e2f6c-8f0e-4c57-9a8e-000000000001")
        )
        clock.tick(datetime.timedelta(minutes=10))
        client.post(
            autosave_url(patient), form_data(notes="Second", submission_id="0f5e2f6c-8f0e-4c57-9a8e-000000000002")
        )
    kept = AutosavedVisitForm.objects.get()
    assert kept.data["notes"] == ["Second"] and kept.started_at == START + datetime.timedelta(minutes=10)

"""Issue 11 §2: every create is idempotent. A second submit of one form (Back then Save, a double click, a retry,
two requests at once) stores nothing new and leads to what the first one made."""

import re
import threading

import pytest
from django.db import connection
from django.urls import reverse

from checklists import services
from checklists.models import Patient, Visit
from checklists.services.visits import AlreadyRecorded
from checklists.views.patients import PATIENT_ALREADY_ADDED
from checklists.views.visits import ALREADY_RECORDED
from tests.conftest import visit_entry
from tests.views.helpers import login
from tests.views.test_patient_new import VALID as PATIENT
from tests.views.test_visit_new import form_data

pytestmark = pytest.mark.django_db


def issued_id(client, url) -> str:
    """The submission id the form page issued, as the browser would send it back."""
    page = client.get(url).content.decode()
    return re.search(r'name="submission_id" value="([0-9a-f-]{36})"', page).group(1)


def test_saving_a_visit_twice_records_it_once_and_shows_the_first(nurse, patient):
    client = login(nurse)
    url = reverse("checklists:visit-new", args=[patient.pk])
    data = form_data(answer_limb_weakness="yes", submission_id=issued_id(client, url))
    first = client.post(url, data)
    second = client.post(url, data, follow=True)  # Back, then Save again
    visit = Visit.objects.get()
    assert first.status_code == 302 and first["Location"] == visit.get_absolute_url()
    assert second.redirect_chain == [(visit.get_absolute_url(), 302)]
    assert ALREADY_RECORDED in second.content.decode()
    assert Visit.objects.count() == 1 and visit.flags.filter(code="MSCC_SUSPECTED").count() == 1


def test_each_form_page_issues_its_own_id(nurse, patient):
    client = login(nurse)
    url = reverse("checklists:visit-new", args=[patient.pk])
    assert issued_id(client, url) != issued_id(client, url)
    for submission in (issued_id(client, url), issued_id(client, url)):
        client.post(url, form_data(submission_id=submission))
    assert Visit.objects.count() == 2  # two forms are two visits


def test_a_form_without_an_id_still_saves(nurse, patient):
    url = reverse("checklists:visit-new", args=[patient.pk])
    for junk in ("", "not-a-uuid"):
        assert login(nurse).post(url, form_data(submission_id=junk)).status_code == 302
    assert Visit.objects.count() == 2


def test_another_patients_form_id_is_no_match(nurse, patient, clinic_a):
    from tests.conftest import make_patient

    other = make_patient(clinic_a, mrn="A002")
    client = login(nurse)
    data = form_data(submission_id=issued_id(client, reverse("checklists:visit-new", args=[patient.pk])))
    client.post(reverse("checklists:visit-new", args=[patient.pk]), data)
    assert client.post(reverse("checklists:visit-new", args=[other.pk]), data).status_code == 404
    assert Visit.objects.count() == 1


def test_adding_a_patient_twice_adds_one_and_is_not_refused_as_a_duplicate_mrn(nurse):
    client = login(nurse)
    url = reverse("checklists:patient-new")
    data = PATIENT | {"submission_id": issued_id(client, url)}
    client.post(url, data)
    second = client.post(url, data, follow=True)
    patient = Patient.objects.get()
    assert second.redirect_chain == [(patient.get_absolute_url(), 302)]
    assert PATIENT_ALREADY_ADDED.format(patient=patient) in second.content.decode()


def test_the_service_refuses_a_used_id_whoever_calls_it(nurse, patient):
    import uuid

    key = uuid.uuid4()
    first = services.record_visit(patient=patient, seen_by=nurse, entry=visit_entry(), submission_id=key)
    with pytest.raises(AlreadyRecorded) as again:
        services.record_visit(patient=patient, seen_by=nurse, entry=visit_entry(nausea=True), submission_id=key)
    assert again.value.record == first
    assert Visit.objects.count() == 1 and not first.flags.exists()


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("what", ["visit", "patient"])
def test_two_simultaneous_submits_store_one_record(reseeded, nurse, patient, clinic_a, what):
    """Two requests at once with one id, on PostgreSQL: the unique index lets one through, the other finds it."""
    import uuid

    key, gate, outcomes = uuid.uuid4(), threading.Barrier(2), []

    def submit():
        try:
            gate.wait()
            if what == "visit":
                made = services.record_visit(
                    patient=patient, seen_by=nurse, entry=visit_entry(limb_weakness=True), submission_id=key
                )
            else:
                made = services.create_patient(
                    clinic=clinic_a, by=nurse, submission_id=key, **(PATIENT | {"known_sites": ["pelvis"]}) | _dates()
                )
            outcomes.append(("made", made.pk))
        except AlreadyRecorded as already:
            outcomes.append(("found", already.record.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(kind for kind, _pk in outcomes) == ["found", "made"]
    assert len({pk for _kind, pk in outcomes}) == 1
    model = Visit if what == "visit" else Patient
    assert model.objects.filter(submission_id=key).count() == 1


def _dates():
    import datetime

    return {"date_of_birth": datetime.date(1958, 6, 30), "baseline_alp": None, "baseline_alp_measured_on": None}


def test_a_submit_that_loses_the_race_at_the_uniqueness_check_finds_the_winner(nurse, clinic_a, monkeypatch):
    """Found on PostgreSQL: the other submit committed between the first look-up and full_clean, whose uniqueness
    check then refused the id (a ValidationError, not an IntegrityError). It must lead to the winner's row."""
    import uuid

    from checklists.services import visits
    from tests.conftest import make_patient

    key = uuid.uuid4()
    winner = make_patient(clinic_a, mrn="WIN")
    Patient.objects.filter(pk=winner.pk).update(submission_id=key)
    monkeypatch.setattr(visits, "recorded_with", lambda model, submission_id: None)  # looked before it committed
    with pytest.raises(AlreadyRecorded) as found:
        services.create_patient(clinic=clinic_a, by=nurse, submission_id=key, **PATIENT | _dates())
    assert found.value.record == winner

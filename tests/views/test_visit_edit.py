"""Edit a visit: re-evaluated on save; a stale edit keeps what was typed and says why."""

import pytest
from django.urls import reverse

from checklists import services
from checklists.services.flags import WITHDRAWAL_REASON_NEEDED
from tests.conftest import lab, visit_entry

from .helpers import assert_login_redirect, login
from .test_visit_new import form_data

pytestmark = pytest.mark.django_db


def url(visit):
    return reverse("checklists:visit-edit", args=[visit.pk])


def test_form_shows_the_saved_answers_and_labs(nurse, patient):
    entry = visit_entry(
        labs=[lab("calcium_total", "2.700", "mmol/L"), lab("alp", "100", "U/L", upper="130")], limb_weakness=True
    )
    visit = services.record_visit(patient=patient, seen_by=nurse, entry=entry)
    content = login(nurse).get(url(visit)).content.decode()
    assert 'id="id_answer_limb_weakness_0" value="yes" checked' in content
    assert 'name="calcium_value" value="2.7"' in content
    assert 'name="alp_value" value="100"' in content and 'name="alp_upper" value="130"' in content
    assert 'name="calcium_upper"' in content and 'name="calcium_upper" value' not in content  # default not shown
    assert f'name="lock_version" value="{visit.lock_version}"' in content


def test_saving_re_evaluates(nurse, visit):
    response = login(nurse).post(url(visit), form_data(lock_version=visit.lock_version, answer_nausea="yes"))
    assert response.status_code == 200  # first the page asks why the emergency is withdrawn
    response = login(nurse).post(
        url(visit),
        form_data(
            lock_version=visit.lock_version,
            answer_nausea="yes",
            change_reason="Wrong patient",
            withdraw="MSCC_SUSPECTED",
        ),
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.tier == "prompt_review"
    assert visit.flags.get(code="MSCC_SUSPECTED").status == "withdrawn"


def test_an_edit_that_withdraws_an_open_emergency_asks_why_and_keeps_what_was_typed(nurse, visit):
    """Issue 10: setting "New weakness" to No no longer closes the open MSCC flag silently."""
    typed = form_data(lock_version=visit.lock_version, answer_nausea="yes", notes="Re-checked: no weakness")
    response = login(nurse).post(url(visit), typed)
    assert response.status_code == 200
    content = response.content.decode()
    assert "These flags will be withdrawn — why?" in content
    assert 'id="withdrawal-prompt"' in content and "Suspected spinal cord compression" in content
    assert response.context["form"].errors["change_reason"] == [WITHDRAWAL_REASON_NEEDED]
    assert "Re-checked: no weakness" in content and 'id="id_answer_nausea_0" value="yes" checked' in content
    visit.refresh_from_db()
    flag = visit.flags.get()
    assert (flag.status, visit.tier, visit.answers.get(item__key="limb_weakness").answer) == (
        "open",
        "emergency",
        "yes",
    )

    assert 'name="withdraw" value="MSCC_SUSPECTED"' in content  # the flags shown, carried to the next save
    response = login(nurse).post(url(visit), typed | {"change_reason": "Weakness was ticked by mistake"})
    assert response.status_code == 200  # a reason without having been shown the flag is not a decision
    response = login(nurse).post(
        url(visit), typed | {"change_reason": "Weakness was ticked by mistake", "withdraw": "MSCC_SUSPECTED"}
    )
    assert response.status_code == 302
    flag.refresh_from_db()
    assert (flag.status, flag.withdrawn_by, flag.withdrawn_reason) == (
        "withdrawn",
        nurse,
        "Weakness was ticked by mistake",
    )
    assert flag.withdrawn_at is not None and flag.reviewed_by is None


def test_a_stale_edit_keeps_what_was_typed(nurse, doctor, visit):
    stale = visit.lock_version
    services.update_visit(
        visit=visit,
        entry=visit_entry(nausea=True),
        lock_version=stale,
        by=visit.seen_by,
        reason="Re-checked",
        withdraw={"MSCC_SUSPECTED"},
    )
    response = login(doctor).post(url(visit), form_data(lock_version=stale, answer_vomiting="yes", notes="Mine"))
    assert response.status_code == 409
    content = response.content.decode()
    assert services.VISIT_CHANGED in content
    assert 'id="id_answer_vomiting_0" value="yes" checked' in content
    assert "Mine" in content
    assert f'name="lock_version" value="{stale + 1}"' in content
    visit.refresh_from_db()
    assert visit.answers.get(item__key="vomiting").answer == "no"


def test_invalid_edit_is_re_rendered(nurse, visit):
    response = login(nurse).post(url(visit), form_data(lock_version=visit.lock_version, albumin_value="500"))
    assert response.status_code == 200
    assert b"500 g/L is not a plausible albumin" in response.content


def test_another_clinics_visit_is_404(outsider, visit):
    assert login(outsider).get(url(visit)).status_code == 404
    assert login(outsider).post(url(visit), form_data(lock_version=visit.lock_version)).status_code == 404


def test_anonymous_goes_to_login(client, visit):
    assert_login_redirect(client.get(url(visit)), url(visit))


def test_wrong_method(nurse, visit):
    assert login(nurse).patch(url(visit)).status_code == 405

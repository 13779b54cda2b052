"""The live flag panel: the same engine on the server, before anything is saved."""

import pytest
from django.urls import reverse

from checklists.models import Visit
from checklists.unsaved import SIGNED_OUT

from .helpers import login
from .test_visit_new import form_data

pytestmark = pytest.mark.django_db


def url(patient):
    return reverse("checklists:visit-preview", args=[patient.pk])


def test_leg_weakness_shows_emergency_at_once(nurse, patient):
    response = login(nurse).post(url(patient), {"answer_limb_weakness": "yes"})
    assert response.status_code == 200
    content = response.content.decode()
    assert 'data-visit-tier="emergency"' in content
    assert "Suspected spinal cord compression" in content
    assert Visit.objects.count() == 0


def test_an_invalid_calcium_is_left_out_but_the_rest_still_flags(nurse, patient):
    response = login(nurse).post(
        url(patient), form_data(answer_nausea="yes", calcium_value="250", calcium_unit="mg/dL")
    )
    content = response.content.decode()
    assert 'data-visit-tier="prompt_review"' in content
    assert "Values the form has not accepted yet are left out." in content


def test_scores_are_totalled(nurse, patient):
    data = {"mirels_site": "lower_limb", "mirels_pain": "moderate", "mirels_lesion": "lytic", "mirels_size": "gt_2_3"}
    assert b'data-mirels="10"' in login(nurse).post(url(patient), data).content


def test_edit_preview_uses_the_visits_own_checklist(nurse, visit):
    response = login(nurse).post(reverse("checklists:visit-edit-preview", args=[visit.pk]), {})
    assert 'data-visit-tier="none"' in response.content.decode()


def test_another_clinics_patient_is_404(outsider, patient):
    assert login(outsider).post(url(patient), {}).status_code == 404


def test_signed_out_is_refused_in_words_never_with_the_sign_in_page(client, patient):
    """Issue 11: the live panel's fetch gets 401 and a sentence, which the page shows in place of the flags."""
    response = client.post(url(patient), {})
    assert response.status_code == 401
    assert response.content.decode() == SIGNED_OUT
    assert "<form" not in response.content.decode()


def test_only_post(nurse, patient):
    assert login(nurse).get(url(patient)).status_code == 405

"""Patient list: search by name or MRN, paginated, only the user's clinics."""

import pytest
from django.urls import reverse

from tests.conftest import make_patient

from .helpers import assert_login_redirect, login

pytestmark = pytest.mark.django_db
URL = reverse("checklists:patient-list")


def test_lists_the_clinics_patients(nurse, patient, patient_b):
    response = login(nurse).get(URL)
    assert response.status_code == 200
    assert patient in response.context["page"].object_list
    assert patient_b not in response.context["page"].object_list


@pytest.mark.parametrize("query", ["smi", "JO", "A001", "a001"])
def test_search_by_name_or_mrn(nurse, patient, clinic_a, query):
    make_patient(clinic_a, mrn="A002", family_name="Brown", given_name="Kim")
    response = login(nurse).get(URL, {"q": query})
    assert [p.mrn for p in response.context["page"].object_list] == ["A001"]


def test_search_never_finds_another_clinics_patient(outsider, patient):
    response = login(outsider).get(URL, {"q": "A001"})
    assert list(response.context["page"].object_list) == []
    assert b"No patient matches" in response.content


def test_paginated(nurse, clinic_a):
    for number in range(27):
        make_patient(clinic_a, mrn=f"P{number:02d}", family_name=f"Name{number:02d}")
    client = login(nurse)
    assert len(client.get(URL).context["page"].object_list) == 25
    second = client.get(URL, {"page": 2})
    assert len(second.context["page"].object_list) == 2
    assert client.get(URL, {"page": "junk"}).status_code == 200


def test_anonymous_goes_to_login(client):
    assert_login_redirect(client.get(URL), URL)


def test_wrong_method(nurse):
    assert login(nurse).post(URL).status_code == 405


def test_a_login_without_a_clinic_is_refused(homeless):
    response = login(homeless).get(URL)
    assert response.status_code == 403

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


def search(client, query):
    """Search as the page does: POST the words, follow the redirect to the results."""
    return client.post(URL, {"q": query}, follow=True)


@pytest.mark.parametrize("query", ["smi", "JO", "A001", "a001"])
def test_search_by_name_or_mrn(nurse, patient, clinic_a, query):
    make_patient(clinic_a, mrn="A002", family_name="Brown", given_name="Kim")
    response = search(login(nurse), query)
    assert [p.mrn for p in response.context["page"].object_list] == ["A001"]


def test_search_never_finds_another_clinics_patient(outsider, patient):
    response = search(login(outsider), "A001")
    assert list(response.context["page"].object_list) == []
    assert b"No patient matches" in response.content


def test_the_search_words_never_reach_a_url(nurse, patient):
    client = login(nurse)
    posted = client.post(URL, {"q": "Smith"})
    assert posted.status_code == 302 and "Smith" not in posted["Location"]
    results = client.get(posted["Location"])
    assert [p.mrn for p in results.context["page"].object_list] == ["A001"]
    assert 'value="Smith"' in results.content.decode()  # still in the box, to refine
    assert "Smith" not in "".join(link for link in results.content.decode().split('href="')[1:] if "?" in link[:80])


def test_an_ended_search_says_so(nurse, patient):
    response = login(nurse).get(URL, {"search": "no-such-key"}, follow=True)
    assert "That search has ended" in response.content.decode()
    assert len(response.context["page"].object_list) == 1


def test_a_search_too_long_is_refused_next_to_the_box(nurse):
    response = login(nurse).post(URL, {"q": "x" * 81})
    assert response.status_code == 200
    assert "Use at most 80 characters (this has 81)." in response.content.decode()


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
    assert login(nurse).put(URL).status_code == 405


def test_a_login_without_a_clinic_is_refused(homeless):
    response = login(homeless).get(URL)
    assert response.status_code == 403

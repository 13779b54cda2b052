"""Error pages that help and leak nothing, with DEBUG off as in production (issue 9)."""

import logging
import re

import pytest
from django.test import Client
from django.urls import reverse

from checklists.views.access import NO_CLINIC
from tests.conftest import make_patient
from tests.views.helpers import login

pytestmark = pytest.mark.django_db
LEAKS = ("Traceback", "SELECT", "SECRET_KEY", "settings", "ZZCANARY", 'File "', "django.", "DEBUG")


@pytest.fixture
def failing_urls(settings, clinic_a):
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.privacy.urls_that_fail"
    make_patient(clinic_a, mrn="ZZCANARY-MRN", family_name="ZZCANARY-NAME")


def leaks(response) -> list[str]:
    return [word for word in LEAKS if word in response.content.decode()]


def test_500_shows_an_incident_id_that_is_also_in_the_logged_exception(failing_urls, nurse, caplog):
    client = login(nurse)
    client.raise_request_exception = False
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/boom/")
    assert response.status_code == 500
    incident = re.search(r'class="font-monospace incident-id">([0-9a-f]{12})<', response.content.decode()).group(1)
    assert incident == response["X-Request-ID"]
    (logged,) = [record for record in caplog.records if record.exc_info]
    assert logged.request_id == incident
    assert "Something went wrong" in response.content.decode() and leaks(response) == []


def test_the_403_for_an_account_without_a_clinic_says_so(failing_urls, homeless):
    response = login(homeless).get(reverse("checklists:worklist"))
    assert response.status_code == 403
    assert NO_CLINIC in response.content.decode() and leaks(response) == []
    # The way on is signing out: the worklist would only refuse them again.
    assert f'action="{reverse("logout")}"' in response.content.decode()
    assert "Go to the worklist" not in response.content.decode()


def test_other_403s_say_it_plainly_and_never_repeat_an_internal_message(failing_urls, nurse):
    from django.core.exceptions import PermissionDenied

    from checklists.views.errors import permission_denied

    request = login(nurse).get(reverse("checklists:worklist")).wsgi_request
    page = permission_denied(request, PermissionDenied("internal detail about ZZCANARY-NAME"))
    assert page.status_code == 403 and "not allowed to do this" in page.content.decode() and leaks(page) == []


def test_404_in_the_apps_look(failing_urls, nurse):
    response = login(nurse).get("/patients/987654/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "Page not found" in text and "bonemets" in text and leaks(response) == []


def test_400_in_the_apps_look(failing_urls, nurse):
    client = login(nurse)
    client.raise_request_exception = False
    response = client.get("/suspicious/")
    assert response.status_code == 400
    assert "could not be understood" in response.content.decode() and leaks(response) == []


def test_a_form_sent_without_its_csrf_token_explains_what_to_do(nurse):
    client = Client(enforce_csrf_checks=True)
    client.force_login(nurse)
    response = client.post(reverse("checklists:patient-list"), {"q": "x"})
    assert response.status_code == 403
    assert "could not be sent safely" in response.content.decode() and leaks(response) == []


def test_the_500_page_renders_without_a_database(failing_urls):
    from checklists.views.errors import server_error

    request = Client().get("/accounts/login/").wsgi_request
    request.id = "abc123def456"
    from django.db import connection

    with connection.execute_wrapper(lambda *args: (_ for _ in ()).throw(RuntimeError("database down"))):
        page = server_error(request)
    assert page.status_code == 500 and "abc123def456" in page.content.decode()

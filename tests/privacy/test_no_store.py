"""Every page and download the app serves is Cache-Control: no-store; static files keep their caching (issue 9)."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from checklists.models import SecurityEvent
from tests.views.helpers import login, verify_second_factor

pytestmark = pytest.mark.django_db


def app_urls(patient, visit, clinic):
    return [
        reverse("checklists:worklist"),
        reverse("checklists:patient-list"),
        patient.get_absolute_url(),
        reverse("checklists:patient-edit", args=[patient.pk]),
        reverse("checklists:visit-new", args=[patient.pk]),
        visit.get_absolute_url(),
        reverse("checklists:visit-edit", args=[visit.pk]),
        reverse("checklists:visit-summary", args=[visit.pk]),
        reverse("checklists:visit-re-evaluate", args=[visit.pk]),
        reverse("checklists:visit-void", args=[visit.pk]),
        reverse("checklists:flag-review", args=[visit.flags.first().pk]),
        reverse("checklists:follow-ups"),
        reverse("checklists:drafts"),
        reverse("checklists:withdrawn-flags"),
        reverse("checklists:password-change"),
        reverse("checklists:visits-export", args=[clinic.pk]),
        reverse("checklists:account"),
        reverse("checklists:sessions"),
        reverse("checklists:two-factor-setup"),
        reverse("checklists:session-status"),
        reverse("login"),
        "/no-such-page/",
    ]


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "") and "private" in response.get("Cache-Control", "")


def test_every_page_with_patient_data_is_no_store(nurse, visit, clinic_a):
    client = login(nurse)
    urls = app_urls(visit.patient, visit, clinic_a)
    answers = {url: client.get(url) for url in urls}
    assert {url for url, response in answers.items() if not no_store(response)} == set()
    assert len(answers) == 22


def test_the_admin_and_its_exports_are_no_store(clinic_admin, nurse):
    client = login(clinic_admin)
    verify_second_factor(client, clinic_admin)
    for url in (
        "/admin/",
        reverse("admin:checklists_user_changelist"),
        reverse("admin:checklists_user_change", args=[nurse.pk]),
        reverse("admin:checklists_user_history", args=[nurse.pk]),
        reverse("admin:checklists_securityevent_export"),
    ):
        assert no_store(client.get(url)), url


def test_a_refused_request_is_no_store_too(outsider, visit):
    assert no_store(login(outsider).get(visit.get_absolute_url()))


def test_static_files_keep_far_future_caching(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = settings.STORAGES | {
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
    }
    call_command("collectstatic", "--noinput", verbosity=0)
    from django.contrib.staticfiles.storage import staticfiles_storage

    hashed = staticfiles_storage.url("css/app.css")
    assert hashed != "/static/css/app.css"
    response = Client().get(hashed)
    assert response.status_code == 200
    assert "max-age=315360000" in response["Cache-Control"] and "no-store" not in response["Cache-Control"]
    assert SecurityEvent.objects.count() == 0  # static files are served before any of the app's code

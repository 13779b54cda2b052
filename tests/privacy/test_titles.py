"""Issue 9 §1: page titles never carry a patient's name or MRN into the browser's history."""

import re

from django.urls import reverse

from tests.privacy.test_canary import canary  # noqa: F401  (the fixture)
from tests.privacy.test_no_store import app_urls
from tests.views.helpers import login


def title_of(response) -> str:
    found = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)
    return " ".join(found.group(1).split()) if found else ""


def test_no_page_title_names_the_patient(canary, nurse, clinic_a):  # noqa: F811
    patient, visit = canary
    client = login(nurse)
    titles = {}
    for url in app_urls(patient, visit, clinic_a):
        response = client.get(url)
        if response.status_code in (200, 404) and response.get("Content-Type", "").startswith("text/html"):
            titles[url] = title_of(response)
    assert len(titles) >= 18
    for url, title in titles.items():
        assert title.endswith("— bonemets"), (url, title)
        assert "ZZCANARY" not in title, (url, title)
    assert titles[visit.get_absolute_url()] == f"Visit {visit.visit_date:%-d %b %Y} — bonemets"
    assert titles[patient.get_absolute_url()] == "Patient record — bonemets"
    assert "ZZCANARY" not in title_of(client.get(reverse("checklists:patient-list"), {"q": "ZZCANARY"}))

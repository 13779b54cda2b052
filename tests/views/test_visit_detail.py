"""Visit page: tier banner, flags with reasons and sources, actions, labs with grades, answers positives first."""

import pytest
from django.urls import reverse

from checklists import services
from checklists.entries import ImagingEntry, VisitEntry
from tests.conftest import TODAY, all_no, lab

from .helpers import assert_login_redirect, login

pytestmark = pytest.mark.django_db


def url(visit):
    return reverse("checklists:visit-detail", args=[visit.pk])


@pytest.fixture
def full_visit(patient, nurse):
    entry = VisitEntry(
        visit_date=TODAY,
        answers=all_no(limb_weakness=True, nausea=True),
        labs=(
            lab("calcium_total", "12.1", "mg/dL"),
            lab("albumin", "3.4", "g/dL"),
            lab("alp", "520", "U/L", upper="130"),
        ),
        imaging=(ImagingEntry("mri", "whole spine", "emergency"),),
        sins={
            "location": "junctional",
            "pain": "mechanical",
            "bone_lesion": "lytic",
            "alignment": "normal",
            "collapse": "lt_50",
            "posterolateral": "unilateral",
        },
        notes="Seen with daughter.",
        complete=True,
    )
    return services.record_visit(patient=patient, seen_by=nurse, entry=entry)


def test_shows_everything_a_clinician_needs(nurse, full_visit):
    response = login(nurse).get(url(full_visit))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Act now: contact the oncology / MSCC team immediately." in content
    codes = [card["code"] for card in response.context["cards"]]
    assert codes[0] == "MSCC_SUSPECTED"
    assert codes.index("HYPERCALCAEMIA_LAB") < codes.index("ALP_ELEVATED")
    assert "Corrected calcium 12.6 mg/dL \u2014 CTCAE grade 3 (&gt;12.5\u201313.5)" in content
    assert "Corrected calcium <strong>12.6 mg/dL</strong> (3.14 mmol/L \u2014 graded on the mg/dL scale)" in content
    assert "<strong>CTCAE grade 3 hypercalcaemia</strong>" in content
    assert "ALP 4.0 \u00d7 ULN" in content
    assert '<summary class="source-key">CRUK-2013</summary>' in content
    assert "Symptoms and treatment of secondary bone cancer" in content
    # The MRI was ordered at the visit: not done until someone says so, or the order is done (issue 15 §4).
    assert "Ordered, not yet done" in content and "Contact the MSCC coordinator now" in content
    assert "SINS <strong>11</strong> of 18 \u2014 potentially unstable" in content
    assert "MRI \u2014 whole spine" in content
    assert "Seen with daughter." in content
    assert content.index("New weakness in the legs or arms?") < content.index("New bone pain, or pain at a new site?")


def test_every_number_is_shown_at_its_units_precision(nurse, patient):
    """Issue 10 §6: the flag reason says 3.40 mmol/L, so the lab table does too, never 3.4 beside it."""
    labs = (lab("calcium_total", "3.4", "mmol/L"), lab("albumin", "40", "g/L"), lab("alp", "600.0", "U/L"))
    visit = services.record_visit(
        patient=patient, seen_by=nurse, entry=VisitEntry(visit_date=TODAY, answers=all_no(), labs=labs)
    )
    content = login(nurse).get(url(visit)).content.decode()
    assert "Corrected calcium 3.40 mmol/L \u2014 CTCAE grade 3" in content  # the flag reason
    assert "<td>3.40 mmol/L</td>" in content and "<td>2.15\u20132.55" in content
    assert "Corrected calcium <strong>3.40 mmol/L</strong> (13.6 mg/dL \u2014 graded on the mmol/L scale)" in content
    assert "<td>40 g/L</td>" in content and "<td>600 U/L</td>" in content
    assert "3.4 mmol/L" not in content


def test_a_low_calcium_says_hypocalcaemia(nurse, patient):
    labs = (lab("calcium_total", "7.5", "mg/dL"), lab("albumin", "4.0", "g/dL"))
    visit = services.record_visit(
        patient=patient, seen_by=nurse, entry=VisitEntry(visit_date=TODAY, answers=all_no(), labs=labs)
    )
    content = login(nurse).get(url(visit)).content.decode()
    assert "<strong>CTCAE grade 2 hypocalcaemia</strong>" in content
    assert visit.flags.get().code == "HYPOCALCAEMIA_LAB"


def test_a_visit_with_no_findings(nurse, patient):
    visit = services.record_visit(
        patient=patient, seen_by=nurse, entry=VisitEntry(visit_date=TODAY, answers=all_no(), complete=True)
    )
    content = login(nurse).get(url(visit)).content.decode()
    assert "No findings need review." in content
    assert "No flags" in content


def test_another_clinics_visit_is_404(outsider, full_visit):
    assert login(outsider).get(url(full_visit)).status_code == 404


def test_anonymous_goes_to_login(client, full_visit):
    assert_login_redirect(client.get(url(full_visit)), url(full_visit))


def test_wrong_method(nurse, full_visit):
    assert login(nurse).post(url(full_visit)).status_code == 405


def test_unknown_visit_is_404(nurse):
    assert login(nurse).get(reverse("checklists:visit-detail", args=[424242])).status_code == 404

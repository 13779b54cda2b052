"""Re-evaluate a past visit on purpose: see the differences first, then apply and record who did it."""

import pytest
from django.urls import reverse

from checklists.models import Flag, Visit
from checklists.services.flags import WITHDRAWAL_REASON_NEEDED
from checklists.services.re_evaluation import RE_EVALUATED

from .helpers import assert_login_redirect, login

pytestmark = pytest.mark.django_db


def url(visit):
    return reverse("checklists:visit-re-evaluate", args=[visit.pk])


@pytest.fixture
def stale(visit):
    """A visit as an older rules version stored it: a weaker tier and a flag today's rules no longer raise."""
    Flag.objects.filter(visit=visit).update(tier="urgent", rules_version="2025.01.1")
    Flag.objects.create(
        visit=visit,
        code="NEW_BONE_PAIN",
        tier="prompt_review",
        title="New bone pain",
        reason="old",
        rules_version="2025.01.1",
        raised_at=visit.created_at,
    )
    Visit.objects.filter(pk=visit.pk).update(tier="urgent", rules_version="2025.01.1")
    visit.refresh_from_db()
    return visit


def test_nothing_changes_until_asked(doctor, stale):
    content = login(doctor).get(url(stale)).content.decode()
    assert "Visit tier: <strong>urgent</strong> → <strong>emergency</strong>" in content
    assert "Suspected spinal cord compression" in content and "would not fire" in content
    stale.refresh_from_db()
    assert stale.tier == "urgent" and stale.re_evaluated_at is None


def test_applying_records_who_and_brings_the_flags_up_to_date(doctor, stale):
    response = login(doctor).post(url(stale), {"lock_version": stale.lock_version})
    assert response.status_code == 302
    stale.refresh_from_db()
    assert (stale.tier, stale.re_evaluated_by) == ("emergency", doctor)
    assert stale.flags.get(code="MSCC_SUSPECTED").tier == "emergency"
    withdrawn = stale.flags.get(code="NEW_BONE_PAIN")
    assert (withdrawn.status, withdrawn.withdrawn_by) == ("withdrawn", doctor)
    assert withdrawn.withdrawn_reason == RE_EVALUATED
    assert stale.history.first().history_user == doctor
    assert "re-evaluated" in login(doctor).get(stale.get_absolute_url()).content.decode()


def test_an_up_to_date_visit_shows_no_difference(doctor, visit):
    assert "Nothing would change" in login(doctor).get(url(visit)).content.decode()


def test_a_stale_comparison_is_not_applied(doctor, stale):
    response = login(doctor).post(url(stale), {"lock_version": stale.lock_version - 1}, follow=True)
    assert "look at them again" in response.content.decode()
    stale.refresh_from_db()
    assert stale.tier == "urgent"


def test_another_clinics_visit_is_404(outsider, visit):
    assert login(outsider).get(url(visit)).status_code == 404
    assert login(outsider).post(url(visit), {"lock_version": visit.lock_version}).status_code == 404


def test_anonymous_goes_to_login(client, visit):
    assert_login_redirect(client.get(url(visit)), url(visit))


def test_wrong_method(doctor, visit):
    assert login(doctor).delete(url(visit)).status_code == 405


def test_re_evaluation_uses_the_ranges_as_recorded_not_todays_clinic_default(doctor, nurse, patient, clinic_a):
    """A result recorded against the default ULN 2.55 stays grade 1 after the clinic raises its default."""
    from checklists import services
    from checklists.models import LabReferenceRange
    from tests.conftest import lab, visit_entry

    visit = services.record_visit(
        patient=patient,
        seen_by=nurse,
        entry=visit_entry(labs=[lab("calcium_total", "2.60", "mmol/L"), lab("albumin", "40", "g/L")]),
    )
    LabReferenceRange.objects.create(clinic=clinic_a, analyte="calcium_total", unit="mmol/L", lower=2.2, upper=2.7)
    assert "Nothing would change" in login(doctor).get(url(visit)).content.decode()
    login(doctor).post(url(visit), {"lock_version": visit.lock_version})
    visit.refresh_from_db()
    assert visit.flags.get().code == "HYPERCALCAEMIA_LAB" and visit.tier == "prompt_review"


def test_withdrawing_an_open_urgent_flag_asks_for_the_persons_reason(doctor, visit):
    """Issue 10 review: re-evaluation is no shortcut around the withdrawal prompt."""
    Flag.objects.create(
        visit=visit,
        code="NEW_BONE_PAIN",
        tier="urgent",
        title="New bone pain",
        reason="old",
        rules_version="x",
        raised_at=visit.created_at,
    )
    page = login(doctor).get(url(visit)).content.decode()
    assert "These open flags will be withdrawn or lowered" in page and 'name="withdraw" value="NEW_BONE_PAIN"' in page
    response = login(doctor).post(url(visit), {"lock_version": visit.lock_version, "withdraw": "NEW_BONE_PAIN"})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == [WITHDRAWAL_REASON_NEEDED]
    assert visit.flags.get(code="NEW_BONE_PAIN").status == "open"
    response = login(doctor).post(
        url(visit), {"lock_version": visit.lock_version, "withdraw": "NEW_BONE_PAIN", "reason": "Rule retired"}
    )
    assert response.status_code == 302
    assert visit.flags.get(code="NEW_BONE_PAIN").withdrawn_reason == "Rule retired"

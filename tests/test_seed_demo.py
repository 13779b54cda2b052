"""manage.py seed_demo: a living demo clinic whose visits raise every flag; idempotent; DEBUG only."""

import base64
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from checklists import selectors
from checklists.models import ChecklistVersion, Clinic, Flag, Notification, Patient, User, Visit
from checklists.rules.flags import RULES

pytestmark = pytest.mark.django_db


def test_refused_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="runs only with DEBUG on"):
        call_command("seed_demo", stdout=io.StringIO())
    assert User.objects.count() == 0


def test_seeds_two_clinics_every_role_and_every_flag_once(settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert Clinic.objects.count() == 2
    assert Patient.objects.count() == 30
    # Notifications can be tried (issue 15): each clinic tells its on-call contact of its emergencies.
    for clinic in Clinic.objects.all():
        assert clinic.on_call and Notification.objects.filter(clinic=clinic, contact="on-call").exists()
    # An overdue action can be tried without waiting a day (issue 15 §4): one in each clinic.
    for clinic in Clinic.objects.all():
        member = clinic.memberships.select_related("user").first().user
        assert len(selectors.overdue_actions(member, timezone.now())) == 1
    visits_per_patient = [patient.visits.count() for patient in Patient.objects.all()]
    assert min(visits_per_patient) >= 3 and max(visits_per_patient) <= 8
    assert set(Flag.objects.values_list("code", flat=True)) == {rule.code for rule in RULES}
    # Every part of a flag's life can be tried: carried over, withdrawn after an edit, graded against a baseline.
    assert Flag.objects.filter(status="carried_over", carried_over_from__reviewed_by__isnull=False).exists()
    for clinic in Clinic.objects.all():  # both demo clinics show each part
        withdrawn = Flag.objects.get(status="withdrawn", visit__clinic=clinic)
        assert (withdrawn.code, withdrawn.withdrawn_reason) == (
            "SPINAL_METASTASIS_PAIN",
            "Back pain was entered for the wrong patient: this patient has none.",
        )
        assert Flag.objects.filter(status="carried_over", visit__clinic=clinic).exists()
        assert Flag.objects.filter(code="HYPOCALCAEMIA_LAB", visit__clinic=clinic).exists()
    assert Flag.objects.filter(code="ALP_ELEVATED", reason__contains="\u00d7 baseline (400 U/L)").exists()
    # Only the scenarios (a patient's latest visit) raise calcium flags: the other visits' calcium is normal.
    for flag in Flag.objects.filter(code__in=["HYPERCALCAEMIA_LAB", "HYPOCALCAEMIA_LAB"]).select_related("visit"):
        assert flag.visit == flag.visit.patient.visits.order_by("-visit_date").first()
    nurse = User.objects.get(username="nurse")
    assert nurse.check_password("demo-nurse-2026")
    assert nurse.groups.filter(name="Clinic staff").exists()
    assert User.objects.get(username="admin").groups.filter(name="Clinic admin").exists()
    assert User.objects.get(username="superuser").is_superuser
    assert "nurse            demo-nurse-2026" in out.getvalue()
    # Each login's role in its clinic (issue 12), as the README's table says.
    assert "nurse            demo-nurse-2026    Nurse \u2014 Northgate Oncology Clinic" in out.getvalue()
    assert "doctor           demo-doctor-2026   Clinician \u2014 Northgate Oncology Clinic" in out.getvalue()
    assert nurse.memberships.get().role == "nurse"
    assert User.objects.get(username="doctor").memberships.get().role == "clinician"
    assert User.objects.get(username="admin").memberships.get().role == "clinic_admin"
    # The demo's second factor is the fixed key the README documents (issue 8 §8), for those who need one.
    readme_key = "BONEMETSDEMOTOTPSECRETFORDEMOXYZ"
    assert readme_key in (Path(__file__).resolve().parent.parent / "README.md").read_text()
    for username in ("admin", "admin.riverside", "superuser"):
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        assert device.key == base64.b32decode(readme_key).hex()
    # Each demo clinic screens with its own checklist (issue 12).
    for clinic in Clinic.objects.all():
        assert ChecklistVersion.objects.of_clinic(clinic).current().number == 1

    visits = Visit.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert (Patient.objects.count(), Visit.objects.count()) == (30, visits)

"""Issue 12 §3: one clinic-scoping rule. The views' helper, the admin's and the model managers' all answer from
Clinic.objects.of, so they can never disagree about who reaches which clinic."""

import pytest

from checklists.admin.scoping import admin_clinics
from checklists.models import CLINIC_ADMIN, Clinic, Role, User, Visit
from checklists.views.access import clinics_for
from tests.conftest import make_patient, make_user, visit_entry

pytestmark = pytest.mark.django_db


def test_views_admin_and_managers_answer_with_the_same_rule(clinic_a, clinic_b, nurse, clinic_admin, outsider):
    from checklists import services

    both = make_user("both", clinic_a, role=CLINIC_ADMIN)
    both.memberships.create(clinic=clinic_b, role=Role.NURSE)  # admin in A, nurse in B
    root = User.objects.create_superuser("root", password="a-long-root-password-2026")
    for clinic, user in ((clinic_a, nurse), (clinic_b, outsider)):
        services.record_visit(patient=make_patient(clinic, mrn=f"S-{clinic.pk}"), seen_by=user, entry=visit_entry())
    expected = {
        nurse: ({clinic_a}, set()),
        clinic_admin: ({clinic_a}, {clinic_a}),
        outsider: ({clinic_b}, set()),
        both: ({clinic_a, clinic_b}, {clinic_a}),
        root: ({clinic_a, clinic_b}, {clinic_a, clinic_b}),
    }
    for user, (member_of, administers) in expected.items():
        assert set(Clinic.objects.of(user)) == set(clinics_for(user)) == member_of, user
        assert set(admin_clinics(user)) == set(Clinic.objects.of(user, role=Role.CLINIC_ADMIN)) == administers, user
        assert {visit.clinic for visit in Visit.objects.for_user(user)} == member_of, user

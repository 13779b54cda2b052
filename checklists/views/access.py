"""Who may see what: staff see only their clinics' patients; anything else is a 404 (or 403 without a clinic)."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from checklists.models import Clinic, Patient, Visit

NO_CLINIC = "Your account is not a member of any clinic yet. Ask a clinic admin to add you."


def clinics_for(user):
    return Clinic.objects.all() if user.is_superuser else Clinic.objects.filter(memberships__user=user)


def clinic_member_required(view):
    """Refuse (403) a logged-in user who belongs to no clinic: there is nothing they may see."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_superuser and not request.user.memberships.exists():
            raise PermissionDenied(NO_CLINIC)
        return view(request, *args, **kwargs)

    return wrapper


def get_patient_for_user(request, pk) -> Patient:
    return get_object_or_404(Patient.objects.for_user(request.user).select_related("clinic"), pk=pk)


def get_visit_for_user(request, pk) -> Visit:
    visits = Visit.objects.for_user(request.user).select_related(
        "patient__clinic", "clinic", "seen_by", "checklist_version"
    )
    return get_object_or_404(visits, pk=pk)

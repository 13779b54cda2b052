"""Who may see what: staff see only their clinics' patients; anything else is a 404 (or 403 without a clinic).

A request for another clinic's record is answered exactly like one for a record that does not exist, and is
written to the security event log.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404

from checklists.models import Clinic, Flag, Patient, SecurityAction, Visit
from checklists.services.security_events import record

NO_CLINIC = "Your account is not a member of any clinic yet. Ask a clinic admin to add you."


def clinics_for(user):
    return Clinic.objects.of(user)


def clinic_member_required(view):
    """Refuse (403) a logged-in user who belongs to no clinic: there is nothing they may see."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_superuser and not request.user.memberships.exists():
            raise PermissionDenied(NO_CLINIC)
        return view(request, *args, **kwargs)

    return wrapper


def _scoped_or_404(request, scoped, everything, pk, clinic_of):
    """The record from the user's scope; otherwise 404, and a security event if it is another clinic's."""
    found = scoped.filter(pk=pk).first()
    if found is not None:
        return found
    other = everything.filter(pk=pk).first()
    if other is not None:
        record(request, SecurityAction.DENIED_OTHER_CLINIC, obj=other, clinic=clinic_of(other))
    raise Http404


def get_patient_for_user(request, pk) -> Patient:
    patients = Patient.objects.select_related("clinic")
    return _scoped_or_404(request, patients.for_user(request.user), patients, pk, lambda patient: patient.clinic)


def get_visit_for_user(request, pk, visits=None) -> Visit:
    """The visit, from `visits` (any annotations a page reads with it) when given."""
    visits = (Visit.objects.all() if visits is None else visits).select_related(
        "patient__clinic", "clinic", "seen_by", "checklist_version"
    )
    return _scoped_or_404(request, visits.for_user(request.user), visits, pk, lambda visit: visit.clinic)


def get_flag_for_user(request, pk) -> Flag:
    flags = Flag.objects.select_related("visit__patient__clinic", "visit__clinic")
    scoped = flags.filter(visit__in=Visit.objects.for_user(request.user))
    return _scoped_or_404(request, scoped, flags, pk, lambda flag: flag.visit.clinic)


def get_clinic_for_user(request, pk) -> Clinic:
    return _scoped_or_404(request, clinics_for(request.user), Clinic.objects.all(), pk, lambda clinic: clinic)


def get_visit_row_for_user(request, model, pk):
    """A row that belongs to a visit (a recommended action, an imaging order), by the same rule as its visit."""
    rows = model.objects.select_related("visit__patient__clinic", "visit__clinic")
    scoped = rows.filter(visit__in=Visit.objects.for_user(request.user))
    return _scoped_or_404(request, scoped, rows, pk, lambda row: row.visit.clinic)

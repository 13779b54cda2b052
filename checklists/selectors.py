"""The reads pages need, each with a fixed number of queries whatever the data size."""

from django.db.models import Case, IntegerField, Q, When

from checklists.rules.tiers import Tier

from .models import ChecklistItem, ChecklistVersion, Flag, Patient, Source, Visit
from .models.choices import Answer, FlagStatus

TIER_ORDER = Case(*(When(tier=tier.value, then=-tier.rank) for tier in Tier), output_field=IntegerField())


def search_patients(user, query: str):
    patients = Patient.objects.for_user(user).select_related("clinic")
    query = query.strip()
    if query:
        patients = patients.filter(
            Q(mrn__iexact=query) | Q(family_name__icontains=query) | Q(given_name__icontains=query)
        )
    return patients.order_by("family_name", "given_name", "pk")


def patient_visits(patient: Patient):
    return patient.visits.select_related("seen_by").order_by("-visit_date", "-created_at")


def open_flags_of_patient(patient: Patient):
    return (
        Flag.objects.filter(visit__patient=patient, status=FlagStatus.OPEN)
        .select_related("visit")
        .order_by(TIER_ORDER, "raised_at")
    )


def current_items():
    version = ChecklistVersion.objects.current()
    return ChecklistItem.objects.filter(version=version).order_by("order")


def visit_flags(visit: Visit):
    return visit.flags.filter(status=FlagStatus.OPEN).order_by(TIER_ORDER, "raised_at")


def visit_answers(visit: Visit):
    """The visit's answers, positives first, each with the wording it was asked with."""
    answers = visit.answers.select_related("item")
    return sorted(answers, key=lambda a: (a.answer != Answer.YES, a.answer != Answer.NO, a.item.order))


def citations():
    return {source.key: source.citation() for source in Source.objects.all()}

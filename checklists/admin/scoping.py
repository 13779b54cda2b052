"""What a clinic admin may see and change in the admin: their own clinics only; superusers everything."""

from simple_history.admin import SimpleHistoryAdmin

from checklists.models import CLINIC_ADMIN, Clinic


def is_clinic_admin(user) -> bool:
    return user.is_active and user.is_staff and (user.is_superuser or user.groups.filter(name=CLINIC_ADMIN).exists())


def admin_clinics(user):
    return Clinic.objects.all() if user.is_superuser else Clinic.objects.filter(memberships__user=user)


class AuditedAdmin(SimpleHistoryAdmin):
    """Every change is kept with who, when, old and new (django-simple-history); the history is read-only."""

    def has_module_permission(self, request):
        return is_clinic_admin(request.user) and super().has_module_permission(request)

"""Sign-in lockouts (django-axes): a clinic admin sees and clears those of their own clinic's staff."""

import datetime

from axes.models import AccessAttempt, AccessFailureLog
from django.contrib import admin, messages
from django.utils import timezone

from checklists.models import User

from .scoping import ReadOnlyForClinicAdmins, admin_clinics, is_clinic_admin, staff_ids_of


@admin.register(AccessAttempt)
class LockoutAdmin(ReadOnlyForClinicAdmins):
    list_display = ["username", "ip_address", "failures_since_start", "attempt_time"]
    list_filter = ["attempt_time"]
    search_fields = ["username", "ip_address"]
    fields = ["username", "ip_address", "user_agent", "failures_since_start", "attempt_time"]
    readonly_fields = fields
    actions = ["clear_lockouts"]

    def scope(self, queryset, user):
        """Attempts for usernames of the admin's own staff; attempts on unknown names are for superusers."""
        if user.is_superuser:
            return queryset
        usernames = User.objects.filter(pk__in=staff_ids_of(admin_clinics(user)), is_superuser=False)
        return queryset.filter(username__in=usernames.values("username"))

    def has_delete_permission(self, request, obj=None):
        return is_clinic_admin(request.user)  # deleting an attempt is how django-axes clears a lockout

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # "Clear" says what it does
        return actions

    @admin.action(description="Clear the selected lockouts (the person can sign in again at once)")
    def clear_lockouts(self, request, queryset):
        usernames = set(queryset.values_list("username", flat=True))
        cleared, _by_model = queryset.delete()
        # The per-account ceiling counts the last hour's failures; they go too, or the person stays locked out.
        # Each failure is still in the security event log.
        since = timezone.now() - datetime.timedelta(hours=1)
        AccessFailureLog.objects.filter(username__in=usernames, attempt_time__gte=since).delete()
        self.message_user(request, f"{cleared} lockout record(s) cleared.", messages.SUCCESS)

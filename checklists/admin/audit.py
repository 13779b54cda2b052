"""The audit log: every admin change with who, when, old and new value. Read-only, scoped to the admin's clinics."""

from django.contrib import admin
from django.utils.html import format_html_join

from checklists.models import (
    ChecklistItem,
    ChecklistVersion,
    Clinic,
    LabReferenceRange,
    Membership,
    RuleTestCase,
    Source,
    User,
)

from .scoping import ReadOnlyForClinicAdmins, admin_clinics, staff_ids_of

# The audited models and how a history row reaches its clinic (None: hospital-wide rows every admin may read).
AUDITED = {
    ChecklistVersion: None,
    ChecklistItem: None,
    Source: None,
    RuleTestCase: None,
    LabReferenceRange: "clinic",
    Membership: "clinic",
    Clinic: "id",
    User: "id",
}


class AuditLogAdmin(ReadOnlyForClinicAdmins):
    list_display = ["history_date", "history_user", "change", "record", "changes"]
    list_filter = ["history_type"]
    date_hierarchy = "history_date"

    def scope(self, queryset, user):
        if user.is_superuser or self.clinic_path is None:
            return queryset
        if self.model.instance_type is User:
            return queryset.filter(id__in=staff_ids_of(admin_clinics(user)), is_superuser=False)
        return super().scope(queryset, user)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("history_user")

    @admin.display(description="change")
    def change(self, record):
        return {"+": "created", "~": "changed", "-": "deleted"}[record.history_type]

    @admin.display(description="record")
    def record(self, record):
        return str(record.instance) if record.history_type != "-" else f"#{record.id}"

    @admin.display(description="old → new")
    def changes(self, record):
        previous = record.prev_record
        if previous is None:
            return "—"
        delta = record.diff_against(previous)
        return format_html_join(", ", "{}: {} → {}", ((c.field, c.old, c.new) for c in delta.changes)) or "—"


for model, clinic_path in AUDITED.items():
    admin.site.register(
        model.history.model, type(f"{model.__name__}AuditAdmin", (AuditLogAdmin,), {"clinic_path": clinic_path})
    )

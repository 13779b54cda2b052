"""The audit log: every admin change with who, when, old and new value. Read-only."""

from django.contrib import admin
from django.utils.html import format_html_join

from checklists.models import ChecklistItem, ChecklistVersion, LabReferenceRange, RuleTestCase, Source, User

from .scoping import is_clinic_admin

AUDITED = (ChecklistVersion, ChecklistItem, LabReferenceRange, Source, RuleTestCase, User)


class AuditLogAdmin(admin.ModelAdmin):
    list_display = ["history_date", "history_user", "change", "record", "changes"]
    list_filter = ["history_type"]
    date_hierarchy = "history_date"

    def has_module_permission(self, request):
        return is_clinic_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return is_clinic_admin(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

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


for model in AUDITED:
    admin.site.register(model.history.model, AuditLogAdmin)

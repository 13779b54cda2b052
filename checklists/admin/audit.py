"""The audit log: every admin change with who, when, old and new value. Read-only, scoped to the admin's clinics."""

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.db.models import Q
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
    # Each clinic's checklist and test cases are its own (issue 12); sources are the hospital's catalogue.
    ChecklistVersion: "clinic",
    ChecklistItem: "version__clinic",
    Source: None,
    RuleTestCase: "clinic",
    LabReferenceRange: "clinic",
    Membership: "clinic",
    Clinic: "id",
    User: "id",
}


class AuditLogAdmin(ReadOnlyForClinicAdmins):
    list_display = ["history_date", "history_user", "change", "record", "changes"]
    # A date filter, not a date hierarchy: that costs two queries over the whole table on every page.
    list_filter = ["history_type", ("history_date", admin.DateFieldListFilter)]
    show_full_result_count = False

    def scope(self, queryset, user):
        if user.is_superuser or self.clinic_path is None:
            return queryset
        if self.model.instance_type is User:
            return queryset.filter(id__in=staff_ids_of(admin_clinics(user)), is_superuser=False)
        if self.model.instance_type is RuleTestCase:  # the built-in worked examples are every clinic's
            return queryset.filter(Q(clinic__isnull=True) | Q(clinic__in=admin_clinics(user)))
        return super().scope(queryset, user)

    def get_queryset(self, request):
        # The row's own foreign keys too: a record's name ("nurse in Clinic A") reads them.
        related = [
            field.name
            for field in self.model._meta.concrete_fields
            if field.is_relation and field.name not in ("history_user", "history_relation")
        ]
        return super().get_queryset(request).select_related("history_user", *related)

    def get_changelist(self, request, **kwargs):
        return AuditChangeList

    @admin.display(description="change")
    def change(self, record):
        return {"+": "created", "~": "changed", "-": "deleted"}[record.history_type]

    @admin.display(description="record")
    def record(self, record):
        if record.history_type == "-":
            return f"#{record.id}"
        # The model's own name for the row, from an object built off the history row alone: `record.instance`
        # fetches the fields history leaves out (a user's password) from the live row, and naming it ("nurse in
        # Clinic A") would fetch its foreign keys again, a few queries per row. The list query joined them.
        model = self.model.instance_type
        stored = {field.attname for field in self.model._meta.concrete_fields}
        instance = model(
            **{
                field.attname: getattr(record, field.attname)
                for field in model._meta.concrete_fields
                if field.attname in stored
            }
        )
        for name, related in record._state.fields_cache.items():
            if name != "history_user" and any(field.name == name for field in model._meta.concrete_fields):
                model._meta.get_field(name).set_cached_value(instance, related)
        return str(instance)

    @admin.display(description="old → new")
    def changes(self, record):
        # The page's previous rows come in one query (AuditChangeList); a row shown elsewhere asks for its own.
        previous = record.previous if hasattr(record, "previous") else record.prev_record
        if previous is None:
            return "—"
        delta = record.diff_against(previous)
        return format_html_join(", ", "{}: {} → {}", ((c.field, c.old, c.new) for c in delta.changes)) or "—"


class AuditChangeList(ChangeList):
    """The audit list, with each row's previous version fetched for the whole page at once (not one query per
    row: 40 rows took 107 queries)."""

    def get_results(self, request):
        super().get_results(request)
        rows = list(self.result_list)
        if not rows:
            return
        earlier: dict = {}
        history = self.model.objects.filter(
            id__in={row.id for row in rows}, history_date__lt=max(row.history_date for row in rows)
        ).order_by("id", "history_date", "history_id")
        for version in history:
            earlier.setdefault(version.id, []).append(version)
        for row in rows:
            before = [
                v
                for v in earlier.get(row.id, ())
                if (v.history_date, v.history_id) < (row.history_date, row.history_id)
            ]
            row.previous = before[-1] if before else None
        self.result_list = rows


for model, clinic_path in AUDITED.items():
    admin.site.register(
        model.history.model, type(f"{model.__name__}AuditAdmin", (AuditLogAdmin,), {"clinic_path": clinic_path})
    )

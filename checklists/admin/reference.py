from django import forms
from django.contrib import admin, messages
from django.db import models

from checklists import selectors
from checklists.models import Clinic, LabReferenceRange, Source
from checklists.services import notifications

from .scoping import AuditedAdmin, admin_clinics, is_clinic_admin


class LabReferenceRangeForm(forms.ModelForm):
    """Validated by LabReferenceRange.clean, so the admin refuses exactly what every other caller is refused."""

    class Meta:
        model = LabReferenceRange
        fields = ["clinic", "analyte", "unit", "lower", "upper"]


@admin.register(LabReferenceRange)
class LabReferenceRangeAdmin(AuditedAdmin):
    form = LabReferenceRangeForm
    clinic_path = "clinic"
    list_display = ["clinic", "analyte", "unit", "lower", "upper"]
    list_filter = ["analyte", ("clinic", admin.RelatedOnlyFieldListFilter)]

    change_list_template = "admin/checklists/labreferencerange/change_list.html"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "clinic":
            kwargs["queryset"] = admin_clinics(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def changelist_view(self, request, extra_context=None):
        # The ranges in use, built-in defaults included: the list below holds only a clinic's own (issue 12 §6).
        in_force = selectors.ranges_in_force(list(admin_clinics(request.user).order_by("name")))
        return super().changelist_view(request, {**(extra_context or {}), "in_force": in_force})


@admin.register(Source)
class SourceAdmin(AuditedAdmin):
    """The hospital-wide catalogue every clinic's flags cite: clinic admins read it and pick sources for their
    own items; only superusers change it (issue 12)."""

    list_display = ["key", "title", "publisher", "date"]
    search_fields = ["key", "title", "publisher"]

    def has_view_permission(self, request, obj=None):
        return is_clinic_admin(request.user)

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return False  # flags and items cite them; a source is never deleted

    def get_readonly_fields(self, request, obj=None):
        return ["key", "document"] if obj else ["document"]


@admin.register(Clinic)
class ClinicAdmin(AuditedAdmin):
    """Superusers create clinics; a clinic admin sees and sets their own clinic's settings."""

    clinic_path = "pk"
    fieldsets = [
        (None, {"fields": ["name", "calcium_unit", "require_two_factor"]}),
        (
            "Notifications",
            {
                "fields": ["on_call_emails", "escalation_emails", "notify_urgent", "webhook_url"],
                "description": "Who is told at once of an emergency flag, and who when a flag waits past its time "
                "frame. Messages name the tier, the clinic and the time, never the patient. Check them with "
                "“Send a test notification” in the list of clinics; the notification log shows what was sent.",
            },
        ),
    ]
    list_display = ["name", "calcium_unit", "require_two_factor", "on_call", "escalation"]
    actions = ["send_test_notification"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 60})}}

    @admin.display(description="on-call contacts")
    def on_call(self, clinic):
        return ", ".join(clinic.on_call) or "— nobody is told of emergencies"

    @admin.display(description="escalation contacts")
    def escalation(self, clinic):
        return ", ".join(clinic.escalation) or "—"

    @admin.action(description="Send a test notification")
    def send_test_notification(self, request, queryset):
        for clinic in queryset:
            try:
                queued = notifications.send_test(clinic=clinic)
            except notifications.NoContacts as refused:
                self.message_user(request, str(refused), messages.WARNING)
            else:
                self.message_user(
                    request,
                    f"A test notification for {clinic} was queued for {len(queued)} contact(s); the notification "
                    "log shows when each is delivered.",
                    messages.SUCCESS,
                )

    def get_readonly_fields(self, request, obj=None):
        return [] if request.user.is_superuser else ["name"]

    def has_view_permission(self, request, obj=None):
        return is_clinic_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return is_clinic_admin(request.user)

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return False  # patients and visits belong to a clinic; it is never deleted

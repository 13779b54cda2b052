from django import forms
from django.contrib import admin

from checklists import selectors
from checklists.models import Clinic, LabReferenceRange, Source

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
    fields = ["name", "calcium_unit", "require_two_factor"]
    list_display = ["name", "calcium_unit", "require_two_factor"]

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

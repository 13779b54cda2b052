from django import forms
from django.contrib import admin

from checklists.forms.messages import as_sentence
from checklists.models import Clinic, LabReferenceRange, Source
from checklists.rules import units

from .scoping import AuditedAdmin, admin_clinics, is_clinic_admin

UNIT_DOES_NOT_FIT = "{unit} is not a unit of {analyte}; use {expected}."


class LabReferenceRangeForm(forms.ModelForm):
    class Meta:
        model = LabReferenceRange
        fields = ["clinic", "analyte", "unit", "lower", "upper"]

    def clean(self):
        cleaned = super().clean()
        analyte, unit, lower, upper = (cleaned.get(name) for name in ("analyte", "unit", "lower", "upper"))
        if not analyte or not unit:
            return cleaned
        if unit not in units.ANALYTE_UNITS[analyte]:
            self.add_error(
                "unit",
                UNIT_DOES_NOT_FIT.format(
                    unit=unit, analyte=units.ANALYTE_LABELS[analyte], expected=" or ".join(units.ANALYTE_UNITS[analyte])
                ),
            )
            return cleaned
        for name, value, which in (("lower", lower, "lower limit"), ("upper", upper, "upper limit")):
            error = value is not None and units.limit_error(analyte, value, unit, which)
            if error:
                self.add_error(name, as_sentence(error))
        if lower is not None and upper is not None and "upper" not in self.errors and "lower" not in self.errors:
            error = units.range_error(lower, upper)
            if error:
                self.add_error("upper", as_sentence(error))
        return cleaned


@admin.register(LabReferenceRange)
class LabReferenceRangeAdmin(AuditedAdmin):
    form = LabReferenceRangeForm
    clinic_path = "clinic"
    list_display = ["clinic", "analyte", "unit", "lower", "upper"]
    list_filter = ["analyte", ("clinic", admin.RelatedOnlyFieldListFilter)]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "clinic":
            kwargs["queryset"] = admin_clinics(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Source)
class SourceAdmin(AuditedAdmin):
    list_display = ["key", "title", "publisher", "date"]
    search_fields = ["key", "title", "publisher"]

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

"""One clinic-scoping rule for every admin page (issue 8).

A clinic admin reaches only the rows of their own clinics, on every route: the list, filters, the change and
delete pages, the history list and each history entry, and the custom views, which all load objects through
`get_queryset`. Superusers run the site and reach everything. History is an audit trail: read-only for
everyone, with no form that saves.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.text import capfirst
from simple_history.admin import SimpleHistoryAdmin

from checklists.models import CLINIC_ADMIN, Clinic, Membership, Role, SecurityAction
from checklists.services import security_events

HISTORY_IS_READ_ONLY = "The history is an audit trail: it can be read, never changed."


def is_clinic_admin(user) -> bool:
    """Asked by every admin page of the sidebar: answered once per request (kept on the request's user)."""
    if not hasattr(user, "_is_clinic_admin"):
        user._is_clinic_admin = (
            user.is_active and user.is_staff and (user.is_superuser or user.groups.filter(name=CLINIC_ADMIN).exists())
        )
    return user._is_clinic_admin


def admin_clinics(user):
    """The clinics a clinic admin administers: the same rule as everywhere (Clinic.objects.of), in the clinics
    where they are clinic admin (a person may be admin in one clinic and nurse in another)."""
    return Clinic.objects.of(user, role=Role.CLINIC_ADMIN)


def staff_ids_of(clinics):
    """The ids of the people who are members of any of these clinics."""
    return Membership.objects.filter(clinic__in=clinics).values("user_id")


class ClinicScopedAdmin(admin.ModelAdmin):
    """Scope every object lookup of this admin to the clinics of the admin using it.

    `clinic_path` is the lookup from the model to its clinic ("clinic", "pk" for Clinic itself), or None for
    hospital-wide rows every clinic admin may read (sources, the checklist, rule test cases). A model that
    reaches its clinic another way overrides `scope`.
    """

    clinic_path: str | None = None

    def scope(self, queryset, user):
        if user.is_superuser or self.clinic_path is None:
            return queryset
        return queryset.filter(**{f"{self.clinic_path}__in": admin_clinics(user)})

    def get_queryset(self, request):
        return self.scope(super().get_queryset(request), request.user)

    def has_module_permission(self, request):
        return is_clinic_admin(request.user) and super().has_module_permission(request)

    def get_object(self, request, object_id, from_field=None):
        """The object, if in scope; a request for another clinic's is refused like a missing one, and recorded."""
        found = super().get_object(request, object_id, from_field)
        if found is None and not request.user.is_superuser:
            try:
                other = self.model._default_manager.filter(pk=object_id).first()
            except (ValueError, TypeError, ValidationError):
                other = None
            if other is not None:
                security_events.record(request, SecurityAction.DENIED_OTHER_CLINIC, obj=other)
        return found

    def object_in_scope(self, request, object_id):
        """The object if the admin may reach it; 404 otherwise (never a hint that it exists)."""
        found = self.get_object(request, unquote(str(object_id)))
        if found is None:
            raise Http404
        return found


class ReadOnlyForClinicAdmins(ClinicScopedAdmin):
    """A record clinic admins may read (scoped) but nobody writes through the admin: logs and audit rows.

    Permissions are decided here, not by Django's model permissions, which clinic admins are not given for these.
    """

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


class AuditedAdmin(ClinicScopedAdmin, SimpleHistoryAdmin):
    """A scoped admin whose every change is kept with who, when, old and new (django-simple-history).

    simple-history's own history views load the object from the history table, bypassing get_queryset, and its
    history form saves on POST even with reverting disabled: both are replaced here.
    """

    def history_view(self, request, object_id, extra_context=None):
        self.object_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """One past version of the object, read-only."""
        if request.method != "GET":
            raise PermissionDenied(HISTORY_IS_READ_ONLY)
        obj = self.object_in_scope(request, object_id)
        record = get_object_or_404(obj.history.select_related("history_user"), history_id=unquote(version_id))
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": f"{capfirst(opts.verbose_name)} as it was on {record.history_date:%d %b %Y %H:%M}",
            "opts": opts,
            "original": obj,
            "record": record,
            "values": history_values(record),
        }
        return TemplateResponse(request, "admin/history_record.html", context)


def history_values(record) -> list[tuple[str, str]]:
    """The kept fields of a history row as (label, value) pairs."""
    excluded = {"id", "history_id", "history_date", "history_change_reason", "history_type", "history_user"}
    values = []
    for field in record.instance_type._meta.fields:
        if field.attname in excluded or not hasattr(record, field.attname):
            continue
        if field.is_relation:
            try:
                value = getattr(record, field.name)
            except ObjectDoesNotExist:  # the related row was deleted since
                value = f"#{getattr(record, field.attname)}"
        elif field.choices:
            value = dict(field.flatchoices).get(getattr(record, field.attname), getattr(record, field.attname))
        else:
            value = getattr(record, field.attname)
        values.append((capfirst(field.verbose_name), "—" if value in (None, "") else str(value)))
    return values

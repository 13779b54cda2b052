"""The security event log: clinic admins review (filter by person, action, date) and export their clinic's events.

Nobody changes or deletes an event: the admin offers no way to, and the database refuses (checklists/history.py).
"""

import csv
import datetime

from django.contrib import admin
from django.db.models import Q
from django.http import StreamingHttpResponse
from django.urls import path
from django.utils import timezone

from checklists.exports import safe_row
from checklists.models import SecurityAction, SecurityEvent
from checklists.services import security_events

from .scoping import ReadOnlyForClinicAdmins, admin_clinics, staff_ids_of

COLUMNS = ("at_utc", "user_id", "ip_address", "action", "object_type", "object_id", "request_id", "clinic_id")


class _Echo:
    def write(self, value):
        return value


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyForClinicAdmins):
    list_display = ["at", "user", "action", "record", "ip_address", "request_id"]
    list_filter = ["action", ("user", admin.RelatedOnlyFieldListFilter)]
    date_hierarchy = "at"
    search_fields = ["request_id", "object_id", "ip_address"]
    list_select_related = ["user"]
    change_list_template = "admin/checklists/securityevent/change_list.html"

    def scope(self, queryset, user):
        """Events about the admin's clinics' records (whoever caused them: another clinic's probes too), and
        events about no clinic's record (sign-ins, refusals) of the admin's own staff. A person who is also in
        another clinic: what they did there is that clinic's business."""
        if user.is_superuser:
            return queryset
        clinics = admin_clinics(user)
        return queryset.filter(Q(clinic__in=clinics) | Q(clinic__isnull=True, user_id__in=staff_ids_of(clinics)))

    @admin.display(description="record")
    def record(self, event):
        return f"{event.object_type} {event.object_id}" if event.object_type else "—"

    def get_urls(self):
        export = path("export/", self.admin_site.admin_view(self.export_view), name="checklists_securityevent_export")
        return [export, *super().get_urls()]

    def export_view(self, request):
        """The events the list shows, with its filters, as CSV; the export is itself an event."""
        events = self.get_changelist_instance(request).get_queryset(request).order_by("at", "pk")
        security_events.record(request, SecurityAction.EXPORT_EVENTS)
        writer = csv.writer(_Echo())

        def rows():
            yield writer.writerow(COLUMNS)
            for event in events.iterator(chunk_size=1000):
                yield writer.writerow(
                    safe_row(
                        (
                            event.at.astimezone(datetime.UTC).isoformat(),
                            event.user_id or "",
                            event.ip_address or "",
                            event.action,
                            event.object_type,
                            event.object_id,
                            event.request_id,
                            event.clinic_id or "",
                        )
                    )
                )

        filename = f"bonemets-security-events-{timezone.localdate():%Y%m%d}.csv"
        return StreamingHttpResponse(
            rows(),
            content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )

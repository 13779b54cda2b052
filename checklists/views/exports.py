import csv

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from checklists.exports import VISIT_COLUMNS, visit_rows
from checklists.models import SecurityAction, Visit
from checklists.services.security_events import record

from .access import clinic_member_required, get_clinic_for_user


class _Echo:
    """A file-like object whose write returns the line, so csv.writer feeds a streaming response."""

    def write(self, value):
        return value


@require_GET
@clinic_member_required
def export_visits(request, clinic_pk):
    clinic = get_clinic_for_user(request, clinic_pk)
    record(request, SecurityAction.EXPORT_VISITS, obj=clinic, clinic=clinic)
    writer = csv.writer(_Echo())
    lines = (writer.writerow(row) for row in visit_rows(Visit.objects.filter(clinic=clinic), header=VISIT_COLUMNS))
    filename = f"bonemets-visits-{clinic.pk}-{timezone.localdate():%Y%m%d}.csv"
    return StreamingHttpResponse(
        lines,
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )

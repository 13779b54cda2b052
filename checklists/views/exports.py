import csv

from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_GET

from checklists.exports import VISIT_COLUMNS, visit_rows

from .access import clinic_member_required, clinics_for


class _Echo:
    """A file-like object whose write returns the line, so csv.writer feeds a streaming response."""

    def write(self, value):
        return value


@require_GET
@clinic_member_required
def export_visits(request, clinic_pk):
    clinic = get_object_or_404(clinics_for(request.user), pk=clinic_pk)
    writer = csv.writer(_Echo())
    lines = (writer.writerow(row) for row in visit_rows(clinic, header=VISIT_COLUMNS))
    filename = f"bonemets-visits-{clinic.pk}-{timezone.localdate():%Y%m%d}.csv"
    return StreamingHttpResponse(
        lines,
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )

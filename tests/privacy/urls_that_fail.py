"""The app's URLs plus one that fails, to see the 500 page the way a real failure shows it."""

from django.core.exceptions import SuspiciousOperation
from django.urls import include, path

from checklists.models import Patient


def boom(request):
    patient = Patient.objects.first()  # noqa: F841 - patient data in the failing frame's locals
    raise RuntimeError("SELECT secret_column FROM settings WHERE SECRET_KEY = 'tests-only' AND name = 'ZZCANARY-NAME'")


def suspicious(request):
    raise SuspiciousOperation("ZZCANARY-NAME tampered with something")


urlpatterns = [
    path("boom/", boom),
    path("suspicious/", suspicious),
    path("", include("bonemets.urls")),
]
handler400 = "checklists.views.errors.bad_request"
handler403 = "checklists.views.errors.permission_denied"
handler404 = "checklists.views.errors.page_not_found"
handler500 = "checklists.views.errors.server_error"

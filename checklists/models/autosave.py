from django.conf import settings
from django.db import models

from .patient import Patient
from .visit import Visit


class AutosavedVisitForm(models.Model):
    """A visit form as it stood when last autosaved (every 30 seconds while it changes), so work typed before a
    crash, a closed tab or an ended session is never lost (issue 11).

    Not a clinical record and not in the audit trail: only its author sees it, it raises no flag, and it is
    deleted when the visit is saved or after AUTOSAVE_KEEP_DAYS. Kept on the server, never in the browser.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="+")
    # The visit being edited; empty for a new visit.
    visit = models.ForeignKey(Visit, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    # The form's fields as posted (each a list of values), without the CSRF token.
    data = models.JSONField(default=dict)
    started_at = models.DateTimeField()
    saved_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "patient"], condition=models.Q(visit__isnull=True), name="autosave_one_new_visit"
            ),
            models.UniqueConstraint(
                fields=["user", "visit"], condition=models.Q(visit__isnull=False), name="autosave_one_per_visit"
            ),
        ]

    def __str__(self):
        return f"Autosaved form of {self.user} for {self.patient}"

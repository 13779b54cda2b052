from django.conf import settings
from django.db import models


class SecurityAction(models.TextChoices):
    SIGN_IN = "sign_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
    SECOND_FACTOR_PASSED = "second_factor_passed", "Entered the second factor"
    SECOND_FACTOR_FAILED = "second_factor_failed", "Wrong second-factor code"
    SIGN_OUT = "sign_out", "Signed out"
    LOCKED_OUT = "locked_out", "Locked out after failed sign-ins"
    DENIED_OTHER_CLINIC = "denied_other_clinic", "Refused: another clinic's record"
    DENIED_ROLE = "denied_role", "Refused: not allowed for this account"
    PRINT_SUMMARY = "print_summary", "Opened a visit summary for printing"
    EXPORT_VISITS = "export_visits", "Exported visits (CSV)"
    EXPORT_EVENTS = "export_events", "Exported the security event log (CSV)"
    PASSWORD_CHANGED = "password_changed", "Changed their password"
    PASSWORD_SET_BY_ADMIN = "password_set_by_admin", "Set a person's password (admin)"
    SECOND_FACTOR_RESET = "second_factor_reset", "Second factor reset by a clinic admin"


class SecurityEvent(models.Model):
    """One security-relevant event: who, from where, did what to which record. Never a name, MRN or value.

    Append-only: the database refuses UPDATE and DELETE on this table (checklists/history.py).
    """

    at = models.DateTimeField(db_index=True)
    # The account acting (or, for a failed sign-in, the account tried, when it exists).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    action = models.CharField(max_length=30, choices=SecurityAction.choices)
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    request_id = models.CharField(max_length=32, blank=True)
    # The clinic the record belongs to, when the event is about one (an export, a print, a refusal).
    clinic = models.ForeignKey(
        "checklists.Clinic", null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["user", "-at"]),
            models.Index(fields=["clinic", "-at"]),
            # A visit's prints (the summary says "amended" after the first): found without reading the whole log.
            models.Index(fields=["object_type", "object_id", "at"], name="security_event_object"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.action}"

from django.contrib.auth.models import AbstractUser
from django.db import models
from simple_history.models import HistoricalRecords


class User(AbstractUser):
    """A member of clinic staff; a custom model from the first migration, as Django advises."""

    clinics = models.ManyToManyField("checklists.Clinic", through="checklists.Membership", related_name="staff")
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        db_table = "user"

    def __str__(self):
        return self.get_full_name() or self.username

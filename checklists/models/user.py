from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.auth.password_validation import validate_password
from django.db import models

from checklists.history import AuditedHistory


class StaffUserManager(UserManager):
    """Django's manager, but a password is validated however the account is made (createsuperuser included)."""

    use_in_migrations = False

    def _create_user_object(self, username, email, password, **extra_fields):
        user = super()._create_user_object(username, email, password, **extra_fields)
        if password is not None:
            validate_password(password, user)
        return user


class User(AbstractUser):
    """A member of clinic staff; a custom model from the first migration, as Django advises."""

    clinics = models.ManyToManyField("checklists.Clinic", through="checklists.Membership", related_name="staff")
    is_demo = models.BooleanField(
        "demo account",
        default=False,
        help_text="Made by seed_demo with a published password: it cannot sign in while DEBUG is off.",
    )
    history = AuditedHistory(excluded_fields=["password", "last_login"])

    objects = StaffUserManager()

    class Meta:
        db_table = "user"

    def __str__(self):
        return self.get_full_name() or self.username

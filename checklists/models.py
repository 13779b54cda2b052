from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """A member of clinic staff; a custom model from the first migration, as Django advises."""

    class Meta:
        db_table = "user"

    def __str__(self):
        return self.get_full_name() or self.username

"""The audit trail of clinical and admin rows (issue 9): who changed what, when and why, and nothing else.

- One history row per real change: a save that only touches untracked fields (a login's last_login, a derived
  follow-up date, updated_at) writes none. Services write only the rows that changed.
- Every row names the acting user: the request's user (simple-history's middleware), or the user a service was
  called for (`recorded_as`), so a command or a future API is recorded like the web.
- A reason for the change, when one was asked for, is kept on every row the change writes.
- The history tables refuse UPDATE and DELETE in the database itself (`protect`, run by a migration).
"""

import contextlib
import contextvars

from django.db import models
from simple_history.models import HistoricalRecords

_acting_user = contextvars.ContextVar("bonemets_history_user", default=None)
_change_reason = contextvars.ContextVar("bonemets_history_reason", default="")

# Fields whose change alone is not worth a history row on any model.
ALWAYS_UNTRACKED = frozenset({"updated_at"})


@contextlib.contextmanager
def recorded_as(user, reason: str = ""):
    """Record every history row written inside the block as done by `user`, for `reason`."""
    user_token, reason_token = _acting_user.set(user), _change_reason.set(reason)
    try:
        yield
    finally:
        _acting_user.reset(user_token)
        _change_reason.reset(reason_token)


class AuditedHistory(HistoricalRecords):
    """django-simple-history's HistoricalRecords with the rules above."""

    def __init__(self, *args, **kwargs):
        # A reason is as long as the person needs (a void or edit reason runs to 300 characters), not 100.
        kwargs.setdefault("history_change_reason_field", models.TextField(null=True))
        super().__init__(*args, **kwargs)

    def post_save(self, instance, created, using=None, **kwargs):
        if not created and not self._changed(instance, kwargs.get("update_fields")):
            return
        super().post_save(instance, created, using=using, **kwargs)

    def _changed(self, instance, update_fields) -> bool:
        """Whether this save changed a tracked field since the latest history row (an admin Save with no change,
        a login's last_login, a derived date: none is a change worth a row)."""
        untracked = set(self.excluded_fields) | ALWAYS_UNTRACKED
        if update_fields and set(update_fields) <= untracked:
            return False
        latest = getattr(instance, self.manager_name).order_by("-history_date", "-history_id").first()
        if latest is None:
            return True
        return any(
            getattr(latest, field.attname) != getattr(instance, field.attname)
            for field in instance._meta.concrete_fields
            if field.name not in untracked and hasattr(latest, field.attname)
        )

    def get_history_user(self, instance):
        if getattr(instance, "_history_user", None) is None and _acting_user.get() is not None:
            return _acting_user.get()
        return super().get_history_user(instance)

    def get_change_reason_for_object(self, instance, history_type, using):
        return super().get_change_reason_for_object(instance, history_type, using) or _change_reason.get()


# -- rows no one can rewrite ---------------------------------------------------------------------------------

REFUSAL = "bonemets: history and security event rows cannot be changed or deleted"


def protected_tables(models) -> list[str]:
    """The tables the database protects: every history table, and the security event log."""
    return sorted(
        model._meta.db_table
        for model in models
        if model._meta.app_label == "checklists"
        and (model.__name__.startswith("Historical") or model.__name__ == "SecurityEvent")
    )


# Row by row UPDATE and DELETE everywhere; on PostgreSQL also TRUNCATE (what `manage.py flush` runs there), which
# row triggers do not see. SQLite has no TRUNCATE: its flush deletes row by row, and is refused.
POSTGRESQL_TRIGGERS = (("UPDATE", "ROW"), ("DELETE", "ROW"), ("TRUNCATE", "STATEMENT"))
SQLITE_TRIGGERS = (("UPDATE", "ROW"), ("DELETE", "ROW"))


def protect(connection, tables) -> None:
    """Install triggers that make the tables append-only (idempotent).

    They stop the application and anyone using its database account by mistake. A database owner can still drop
    a trigger: in production the app's account should not own these tables (README, "Deploy").
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE OR REPLACE FUNCTION bonemets_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN RAISE EXCEPTION '{REFUSAL} (%)', TG_TABLE_NAME; END $$"
            )
        for table in tables:
            if connection.vendor == "postgresql":
                for operation, level in POSTGRESQL_TRIGGERS:
                    cursor.execute(
                        f'CREATE OR REPLACE TRIGGER "{table}_no_{operation.lower()}" BEFORE {operation} ON "{table}" '
                        f"FOR EACH {level} EXECUTE FUNCTION bonemets_refuse_change()"
                    )
            else:
                for operation, _level in SQLITE_TRIGGERS:
                    cursor.execute(
                        f'CREATE TRIGGER IF NOT EXISTS "{table}_no_{operation.lower()}" BEFORE {operation} '
                        f"ON \"{table}\" BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
                    )


def unprotect(connection, tables) -> None:
    """Remove the triggers: only for a test database about to be emptied, never in production."""
    with connection.cursor() as cursor:
        for table in tables:
            if connection.vendor == "postgresql":
                for operation, _level in POSTGRESQL_TRIGGERS:
                    cursor.execute(f'DROP TRIGGER IF EXISTS "{table}_no_{operation.lower()}" ON "{table}"')
            else:
                for operation, _level in SQLITE_TRIGGERS:
                    cursor.execute(f'DROP TRIGGER IF EXISTS "{table}_no_{operation.lower()}"')

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class ChecklistsConfig(AppConfig):
    name = "checklists"
    verbose_name = "Bone-metastasis follow-up"
    default = True

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import checks  # noqa: F401 - registers the deploy checks
        from .accounts import events  # noqa: F401 - records sign-ins and sign-in failures

        post_migrate.connect(protect_history, sender=self, dispatch_uid="bonemets_protect_history")
        wait_for_postgresql_with_deadlines()


def wait_for_postgresql_with_deadlines():
    """A PostgreSQL that stops answering fails a request in seconds instead of hanging it (bonemets/database.py)."""
    from django.conf import settings

    if any(db.get("ENGINE") == "django.db.backends.postgresql" for db in settings.DATABASES.values()):
        from bonemets import database

        database.install(
            connect_seconds=settings.DATABASE_CONNECT_TIMEOUT, statement_seconds=settings.DATABASE_STATEMENT_TIMEOUT
        )


def protect_history(sender, app_config, using, apps=None, **kwargs):
    """After every migrate, the history tables and the event log refuse UPDATE, DELETE (and TRUNCATE) again.

    Migrations 0010 and 0012 install the triggers; but SQLite rebuilds a table to alter it, dropping its
    triggers, so any later migration touching a history table would silently lift them. This puts them back.
    `flush` sends the signal too, without the migration state's apps: then the installed models are the tables.
    """
    from django.apps import apps as installed
    from django.db import connections

    from .history import protect, protected_tables

    models = (apps or installed).get_app_config("checklists").get_models()
    protect(connections[using], protected_tables(models))


class BonemetsAdminConfig(admin_apps.AdminConfig):
    """Django's admin, served by bonemets' site: one login page and a verified second factor."""

    default = False
    # Outside the checklists.admin package: importing that package registers the admins on this very site.
    default_site = "checklists.admin_site.BonemetsAdminSite"

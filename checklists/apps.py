from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class ChecklistsConfig(AppConfig):
    name = "checklists"
    verbose_name = "Bone-metastasis follow-up"
    default = True

    def ready(self):
        from . import checks  # noqa: F401 - registers the deploy checks
        from .accounts import events  # noqa: F401 - records sign-ins and sign-in failures


class BonemetsAdminConfig(admin_apps.AdminConfig):
    """Django's admin, served by bonemets' site: one login page and a verified second factor."""

    default = False
    # Outside the checklists.admin package: importing that package registers the admins on this very site.
    default_site = "checklists.admin_site.BonemetsAdminSite"

"""Deploy checks (`manage.py check --deploy`): an unsafe configuration, or demo accounts, are errors (issue 8)."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.db import DatabaseError

from bonemets.boot import configuration_problems


@register(Tags.security, deploy=True)
def unsafe_configuration(app_configs, **kwargs):
    return [
        Error(problem, hint="The app refuses to start like this; see .env.example.", id="bonemets.E001")
        for problem in configuration_problems(settings)
    ]


@register(Tags.security, deploy=True)
def demo_accounts(app_configs, **kwargs):
    """Demo accounts have published passwords: name any that exist in a database served with DEBUG off."""
    if settings.DEBUG:
        return []
    from checklists.models import User

    try:
        usernames = sorted(User.objects.filter(is_demo=True).values_list("username", flat=True))
    except DatabaseError:  # no database yet, or not migrated: there are no accounts to name
        return []
    if not usernames:
        return []
    return [
        Error(
            f"Demo accounts exist in this database: {', '.join(usernames)}.",
            hint=(
                "They were made by `manage.py seed_demo` and their passwords are published; with DEBUG off they "
                "cannot sign in. Demo data does not belong in a production database: start from an empty one."
            ),
            id="bonemets.E002",
        )
    ]


SITE_URL_NEEDED = "SITE_URL is not an https:// address: every notification links to it (issue 15)."


@register(Tags.security, deploy=True)
def site_url(app_configs, **kwargs):
    """The link in every on-call message must reach the site: with DEBUG off, SITE_URL is its https address."""
    if settings.DEBUG or settings.SITE_URL.lower().startswith("https://"):
        return []
    return [Warning(SITE_URL_NEEDED, hint="Set SITE_URL as in .env.example.", id="bonemets.W001")]

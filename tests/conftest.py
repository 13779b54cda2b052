import os

from hypothesis import HealthCheck, settings

# Playwright's sync API runs an event loop in the test thread; Django must allow its ORM there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

settings.register_profile("default", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


import pytest  # noqa: E402


@pytest.fixture
def nurse(django_user_model):
    """A nurse of clinic A, the commonest user."""
    return django_user_model.objects.create_user(
        username="nurse.ada", password="correct-horse-battery", first_name="Ada", last_name="Nurse"
    )

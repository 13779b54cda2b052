import time

from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from checklists.accounts.middleware import LAST_SEEN, SIGNED_IN_AT
from checklists.accounts.policy import needs_second_factor


def login(user) -> Client:
    """A client signed in as the user, past the second factor when the account needs one.

    force_login, not login(): django-axes' backend needs the request, which Client.login does not pass.
    """
    client = Client()
    client.force_login(user)
    # Stamp the session clock as a first request would, so query counts measure the page, not that stamp.
    session = client.session
    session[SIGNED_IN_AT] = session[LAST_SEEN] = int(time.time())
    session.save()
    if needs_second_factor(user):
        verify_second_factor(client, user)
    # A first request records the client's address and browser on the session (django-user-sessions), as the
    # sign-in request does in a browser; the page requests a test then counts are then the steady ones.
    client.get(reverse("checklists:session-status"))
    return client


def verify_second_factor(client, user) -> TOTPDevice:
    """Mark the client's session as having entered the user's authenticator code (as django_otp.login does)."""
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, name="Test authenticator", defaults={"confirmed": True}
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def assert_login_redirect(response, url):
    assert response.status_code == 302
    assert response["Location"].startswith(f"/accounts/login/?next={url}")

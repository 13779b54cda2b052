"""Issue 15 §6: every page names the app's icon (the browser otherwise asks for /favicon.ico, a 404 each time)."""

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from .helpers import login

pytestmark = pytest.mark.django_db
ICON = '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">'


def test_the_sign_in_page_the_app_and_the_admin_link_the_icon(client, nurse, clinic_admin):
    assert ICON in client.get(reverse("login")).content.decode()
    assert ICON in login(nurse).get(reverse("checklists:worklist")).content.decode()
    assert ICON in login(clinic_admin).get(reverse("admin:index")).content.decode()
    assert finders.find("img/favicon.svg")

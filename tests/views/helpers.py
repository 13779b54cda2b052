from django.test import Client

from tests.conftest import PASSWORD


def login(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def assert_login_redirect(response, url):
    assert response.status_code == 302
    assert response["Location"].startswith(f"/accounts/login/?next={url}")

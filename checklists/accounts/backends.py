from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class StaffBackend(ModelBackend):
    """Django's backend, except that demo accounts (published passwords) cannot sign in while DEBUG is off.

    user_can_authenticate is also asked for every request of a signed-in session, so a demo session that
    outlives a switch to DEBUG off ends at its next request.
    """

    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and not (user.is_demo and not settings.DEBUG)

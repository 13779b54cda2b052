import pytest

from tests.conftest import make_patient

ON_CALL = ["oncall.one@hospital.example", "oncall.two@hospital.example"]
ESCALATION = ["consultant@hospital.example"]


@pytest.fixture
def told_clinic(clinic_a):
    """Clinic A with two on-call addresses and an escalation contact."""
    clinic_a.on_call_emails = "\n".join(ON_CALL)
    clinic_a.escalation_emails = "\n".join(ESCALATION)
    clinic_a.save()
    return clinic_a


@pytest.fixture
def canary_patient(told_clinic):
    """A patient whose every detail is a canary: none may appear in a message."""
    return make_patient(told_clinic, mrn="ZZMRN4242", family_name="Zzcanaryfamily", given_name="Zzcanarygiven")


class FailingEmail:
    """An email backend whose server refuses every message."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("[Errno 111] Connection refused")


FAILING_EMAIL = "tests.notifications.conftest.FailingEmail"

"""No route escapes clinic scoping: every URL, walked as clinic A's admin with clinic B's ids (issue 8).

The walk reads the URL resolver, so a route added later is walked too. Every route is tried with GET and with
POST (a form payload that would take an account over, move a reference range, or run any admin action), with
each id of clinic B that fits it. Nothing of clinic B may show in any answer, and no row may change.
"""

import datetime
import re
from decimal import Decimal

import pytest
from axes.models import AccessAttempt
from django.apps import apps
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from checklists import services
from checklists.models import (
    CLINIC_ADMIN,
    ChecklistItem,
    ChecklistVersion,
    Clinic,
    Flag,
    LabReferenceRange,
    Membership,
    Patient,
    RuleTestCase,
    User,
    Visit,
)
from tests.conftest import PASSWORD, make_patient, make_user, visit_entry
from tests.views.helpers import login

pytestmark = pytest.mark.django_db

TAKEOVER = "Taken-over-password-2026!"
MARKERS = (
    "bee.admin",
    "bee.nurse",
    "root.super",
    "Clinic B",
    "2.876",
    "ZZB-PATIENT",
    "ZZB-MRN",
    "ZZB-ITEM",
    "ZZB-CASE",
    "ZZB-NOTE",
)


@pytest.fixture
def world(clinic_a, clinic_b, clinic_admin, nurse):
    """Clinic A's admin, and everything of clinic B (and the superuser) that they must never reach."""
    admin_b = make_user("bee.admin", clinic_b, role=CLINIC_ADMIN)
    nurse_b = make_user("bee.nurse", clinic_b)
    root = User.objects.create_superuser("root.super", password=PASSWORD)
    TOTPDevice.objects.create(user=admin_b, name="Phone", confirmed=True)
    range_b = LabReferenceRange.objects.create(
        clinic=clinic_b, analyte="calcium_total", unit="mmol/L", lower=Decimal("2.111"), upper=Decimal("2.876")
    )
    attempt_b = AccessAttempt.objects.create(
        username=nurse_b.username,
        ip_address="10.0.0.9",
        user_agent="test",
        failures_since_start=5,
        attempt_time=datetime.datetime.now(datetime.UTC),
        get_data="",
        post_data="",
        http_accept="",
        path_info="/accounts/login/",
    )
    patient_b = make_patient(clinic_b, mrn="ZZB-MRN", family_name="ZZB-PATIENT")
    visit_b = services.record_visit(patient=patient_b, seen_by=nurse_b, entry=visit_entry(limb_weakness=True))
    # Clinic B's own checklist (issue 12): its versions, a draft with an item of its own, and a test case.
    draft_b = services.start_draft(clinic=clinic_b, by=admin_b)
    ChecklistVersion.objects.filter(pk=draft_b.pk).update(note="ZZB-NOTE")
    item_b = ChecklistItem.objects.create(
        version=draft_b, key="zzb_item", section="treatment", order=900, wording="ZZB-ITEM?"
    )
    case_b = RuleTestCase.objects.create(
        clinic=clinic_b, name="ZZB-CASE", findings={"primary_cancer": "lung"}, expected_visit_tier="none"
    )
    objects = {
        "checklists.checklistversion": list(ChecklistVersion.objects.of_clinic(clinic_b)),
        "checklists.checklistitem": [item_b],
        "checklists.ruletestcase": [case_b],
        "checklists.user": [admin_b, nurse_b, root],
        "checklists.clinic": [clinic_b],
        "checklists.labreferencerange": [range_b],
        "checklists.membership": list(Membership.objects.filter(clinic=clinic_b)),
        "axes.accessattempt": [attempt_b],
        "checklists.patient": [patient_b],
        "checklists.visit": [visit_b],
        "checklists.flag": list(visit_b.flags.all()),
    }
    return {"admin_a": clinic_admin, "objects": objects, "clinic_a": clinic_a}


def routes(resolver=None, namespace=""):
    """Every named route of the site: (full name, pattern)."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from routes(entry, namespace + (f"{entry.namespace}:" if entry.namespace else ""))
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace + entry.name, entry.pattern


def parameter_count(pattern) -> int:
    return len(getattr(pattern, "converters", {})) or re.compile(str(pattern)).groups


def model_of(name: str):
    """The model an admin route is about ("admin:checklists_user_change" → User), if any."""
    for model in apps.get_models():
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        if name.startswith(prefix):
            return model
    return None


def b_ids(world, model) -> list:
    """The ids of clinic B's rows of the model, or of their history rows for a history model."""
    label = model._meta.label_lower
    if label in world["objects"]:
        return [obj.pk for obj in world["objects"][label]]
    tracked = getattr(model, "instance_type", None)
    if tracked is not None and tracked._meta.label_lower in world["objects"]:
        return [row.history_id for obj in world["objects"][tracked._meta.label_lower] for row in obj.history.all()]
    return []


# The app's routes, by the record their id names.
APP_ROUTE_MODELS = {
    "checklists:patient-detail": "checklists.patient",
    "checklists:patient-edit": "checklists.patient",
    "checklists:visit-new": "checklists.patient",
    "checklists:visit-preview": "checklists.patient",
    "checklists:flag-review": "checklists.flag",
    "checklists:visits-export": "checklists.clinic",
}


def record_kind(name: str) -> str | None:
    """The kind of clinic record a route's id names ("checklists.visit"), if the route is about one."""
    if name in APP_ROUTE_MODELS:
        return APP_ROUTE_MODELS[name]
    if name.startswith("checklists:visit"):
        return "checklists.visit"
    model = model_of(name)
    if model is None:
        return None
    tracked = getattr(model, "instance_type", model)
    return tracked._meta.label_lower


def arguments(world, name, pattern) -> list[tuple]:
    """Every tuple of clinic-B arguments that fits the route."""
    count = parameter_count(pattern)
    if count == 0:
        return [()]
    if name in APP_ROUTE_MODELS or name.startswith("checklists:visit"):
        return [(obj.pk,) for obj in world["objects"][record_kind(name)]]
    model = model_of(name)
    if name.endswith("_simple_history"):  # (object, one of its history rows)
        return [
            (obj.pk, row.history_id)
            for obj in world["objects"].get(model._meta.label_lower, [])
            for row in obj.history.all()
        ]
    if name == "admin:view_on_site":
        return [(ContentTypes.id_of(objects[0]), obj.pk) for objects in world["objects"].values() for obj in objects]
    if name == "admin:app_list":
        return [(label,) for label in ("checklists", "axes", "auth")]
    if model is not None:
        return [(pk,) for pk in b_ids(world, model)]
    every_b_id = sorted({obj.pk for objects in world["objects"].values() for obj in objects})
    return [(pk,) for pk in every_b_id]


class ContentTypes:
    @staticmethod
    def id_of(obj) -> int:
        from django.contrib.contenttypes.models import ContentType

        return ContentType.objects.get_for_model(obj).pk


def payload(world, clinic) -> dict:
    """One POST body with the fields of every admin form and action: what an attacker would send.

    With clinic A it would move a clinic-B row into clinic A; with clinic B it would add a row to clinic B.
    """
    b_selected = sorted({obj.pk for objects in world["objects"].values() for obj in objects})
    return {
        "username": "mallory",
        "first_name": "Mallory",
        "last_name": "Mallory",
        "email": "mallory@example.com",
        "password": TAKEOVER,
        "clinic": clinic.pk,
        "role": "clinic_admin",
        "is_active": "on",
        "analyte": "calcium_total",
        "unit": "mmol/L",
        "lower": "1.000",
        "upper": "9.000",
        "name": "Renamed clinic",
        "calcium_unit": "mg/dL",
        "require_two_factor": "",
        "post": "yes",
        "_save": "Save",
        "_selected_action": [str(pk) for pk in b_selected],
        "confirmation": "publish anyway",
        "note": "x",
        "action": "",
    }


ACTIONS = ("delete_selected", "end_all_sessions", "remove_from_my_clinics", "reset_second_factor", "clear_lockouts")


def snapshot(walker) -> dict:
    """Every row an attacker would want to change, as plain values (an authenticator the walker's own visit to
    the set-up page starts excepted)."""
    tables = {
        "users": User.objects.values_list("pk", "username", "password", "is_active", "is_staff", "is_superuser"),
        "groups": User.groups.through.objects.values_list("user_id", "group_id"),
        "memberships": Membership.objects.values_list("user_id", "clinic_id"),
        "clinics": Clinic.objects.values_list("pk", "name", "calcium_unit", "require_two_factor"),
        "ranges": LabReferenceRange.objects.values_list("pk", "clinic_id", "analyte", "unit", "lower", "upper"),
        "lockouts": AccessAttempt.objects.values_list("pk", "username", "failures_since_start"),
        "devices": TOTPDevice.objects.exclude(user=walker, confirmed=False).values_list(
            "pk", "user_id", "key", "confirmed"
        ),
        "patients": Patient.objects.values_list("pk", "clinic_id", "mrn", "family_name"),
        "visits": Visit.objects.values_list("pk", "clinic_id", "lock_version"),
        "flags": Flag.objects.values_list("pk", "status", "reviewed_by_id"),
        "groups_defined": Group.objects.values_list("pk", "name"),
        # Clinic B's checklist (the walker may start a draft of its own clinic's, as it is allowed to).
        "checklists_b": ChecklistVersion.objects.filter(clinic__name="Clinic B").values_list(
            "pk", "number", "published_at", "note"
        ),
        "items_b": ChecklistItem.objects.filter(version__clinic__name="Clinic B").values_list(
            "pk", "version_id", "key", "wording", "retired", "order"
        ),
        "cases": RuleTestCase.objects.values_list("pk", "clinic_id", "name", "expected_visit_tier"),
    }
    return {name: sorted(rows) for name, rows in tables.items()}


# Signing out would turn the rest of the walk into an anonymous one, which proves nothing about scoping.
SIGN_OUT = {"logout", "admin:logout"}


def reaches(marker: str, text: str) -> bool:
    """The marker stands in the text on its own: clinic B's range 2.876 is not the seconds of a timestamp
    such as 12:00:52.876104 (a CI run once printed one in the event log's CSV)."""
    return re.search(rf"(?<!\d){re.escape(marker)}(?!\d)", text) is not None


def walk(client, world, skip=()) -> tuple[int, list[str]]:
    """Request every route with every clinic-B argument, GET and POST; return (requests, what reached B)."""
    tried, reached = 0, []
    clinic_b = world["objects"]["checklists.clinic"][0]
    bodies = [payload(world, world["clinic_a"]), payload(world, clinic_b)]
    for name, pattern in routes():
        if name in skip:
            continue
        for args in arguments(world, name, pattern):
            url = reverse(name, args=args)
            # Adding to clinic A is an A admin's job; adding to clinic B must be refused.
            posts = (bodies[1:] if name.endswith("_add") else bodies) + (
                [bodies[0] | {"action": action} for action in ACTIONS] if name.endswith("_changelist") else []
            )
            for method, data in [("get", None)] + [("post", data) for data in posts]:
                response = getattr(client, method)(url, data, follow=True)
                tried += 1
                assert response.status_code != 500, (method, url)
                raw = b"".join(response.streaming_content) if response.streaming else response.content
                text = raw.decode(errors="replace")
                found = [marker for marker in MARKERS if reaches(marker, text)]
                if found:
                    reached.append(f"{method.upper()} {url}: {', '.join(found)}")
    return tried, reached


def test_a_marker_is_found_on_its_own_and_not_inside_a_timestamp():
    assert reaches("2.876", "<td>2.111–2.876 mmol/L</td>")
    assert reaches("bee.admin", '"username": "bee.admin"')
    assert not reaches("2.876", "2026-11-22 12:00:52.876104+00:00")
    assert not reaches("2.876", "12.8760")


def test_clinic_a_admin_reaches_nothing_of_clinic_b_on_any_route(world):
    client = login(world["admin_a"])
    client.raise_request_exception = False
    before = snapshot(world["admin_a"])
    tried, reached = walk(client, world, skip=SIGN_OUT)
    print(f"\nadmin walk: {tried} requests (routes × clinic-B ids × GET/POST), {len(reached)} reached clinic B")
    assert client.get(reverse("admin:index")).status_code == 200, "the walker was signed out on the way"
    assert reached == []
    assert snapshot(world["admin_a"]) == before
    assert tried > 300
    assert User.objects.get(username="bee.admin").check_password(PASSWORD)


def test_the_history_takeover_route_is_closed(world):
    """The route found by trying: B admin's history entry, with a new password typed in and saved."""
    admin_b = world["objects"]["checklists.user"][0]
    record = admin_b.history.first()
    url = reverse("admin:checklists_user_simple_history", args=[admin_b.pk, record.history_id])
    client = login(world["admin_a"])
    assert client.get(reverse("admin:checklists_user_history", args=[admin_b.pk])).status_code == 404
    assert client.get(url).status_code == 404
    assert client.post(url, payload(world, world["clinic_a"])).status_code == 403
    admin_b.refresh_from_db()
    assert admin_b.check_password(PASSWORD) and not admin_b.check_password(TAKEOVER)


def test_history_pages_are_read_only_even_for_your_own_clinic(world, nurse):
    record = nurse.history.first()
    url = reverse("admin:checklists_user_simple_history", args=[nurse.pk, record.history_id])
    client = login(world["admin_a"])
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "<form" not in text.split('id="content-main"')[1] and "nurse.ada" in text
    assert client.post(url, payload(world, world["clinic_a"]) | {"username": "nurse.ada"}).status_code == 403
    nurse.refresh_from_db()
    assert nurse.check_password(PASSWORD) and nurse.first_name == "Ada"


def test_the_audit_lists_show_only_the_admins_own_clinics(world, nurse):
    client = login(world["admin_a"])
    users = client.get(reverse("admin:checklists_historicaluser_changelist")).context["cl"].queryset
    assert {row.username for row in users} == {"nurse.ada", "admin.cy"}
    memberships = client.get(reverse("admin:checklists_historicalmembership_changelist")).context["cl"].queryset
    assert {row.clinic_id for row in memberships} == {world["clinic_a"].pk}


def test_an_account_shared_with_another_clinic_is_read_only(world, clinic_b):
    shared = make_user("shared.sam", world["clinic_a"])
    Membership.objects.create(user=shared, clinic=clinic_b)
    client = login(world["admin_a"])
    url = reverse("admin:checklists_user_change", args=[shared.pk])
    assert client.get(url).status_code == 200  # listed and viewable: they work in clinic A too
    client.post(url, payload(world, world["clinic_a"]) | {"username": "shared.sam"})
    shared.refresh_from_db()
    assert shared.check_password(PASSWORD) and shared.first_name == ""


def test_the_anonymous_walk_reaches_nothing(world):
    client = Client(raise_request_exception=False)
    tried, reached = walk(client, world)
    assert reached == [] and tried > 300


def test_another_clinics_ids_are_answered_like_ids_that_do_not_exist(world):
    """Found in review: /admin/r/<type>/<id>/ redirected for another clinic's patient and 404'd for no patient."""
    client = login(world["admin_a"])
    client.raise_request_exception = False
    compared = 0
    for name, pattern in routes():
        if record_kind(name) not in world["objects"]:
            continue  # hospital-wide rows (the checklist, sources) are every admin's to read
        for args in arguments(world, name, pattern):
            if not args or not all(isinstance(arg, int) for arg in args):
                continue
            compared += 1
            missing = tuple(987654 + index for index, _arg in enumerate(args))
            answers = [client.get(reverse(name, args=shape)) for shape in (args, missing)]
            assert answers[0].status_code == answers[1].status_code, (name, args)
            if answers[0].status_code == 302:
                assert answers[0]["Location"].replace(str(args[0]), "ID") == answers[1]["Location"].replace(
                    str(missing[0]), "ID"
                ), (name, args)
    assert compared > 40

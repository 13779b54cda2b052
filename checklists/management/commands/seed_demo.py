"""manage.py seed_demo: two demo clinics, a login per role, and about 30 patients whose visits raise every flag.

Idempotent: a second run only prints the logins. Refused unless DEBUG is on, because the passwords are public.
"""

import base64
import dataclasses
import datetime
import random
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from checklists import services
from checklists.accounts.policy import needs_second_factor
from checklists.entries import ImagingEntry, LabEntry, VisitEntry
from checklists.models import CLINIC_ADMIN, CLINIC_STAFF, Clinic, Membership, Recommendation, Role, User
from checklists.rules import units
from checklists.rules.vocabulary import SCREEN_ITEMS

REFUSED = "seed_demo creates logins with published passwords; it runs only with DEBUG on."

# The demo's second factor (README): every demo account that needs one gets an authenticator with this published
# key, so the demo works from any authenticator app, `oathtool --totp -b <key>`, or the hint on the code page.
DEMO_TOTP_KEY_BASE32 = "BONEMETSDEMOTOTPSECRETFORDEMOXYZ"

CLINICS = ("Northgate Oncology Clinic", "Riverside Cancer Centre")
# Who each demo clinic tells (issue 15): `make run`'s worker writes their mail to var/sent-mail/.
DEMO_CONTACTS = {
    "Northgate Oncology Clinic": {
        "on_call_emails": "oncall@northgate.example",
        "escalation_emails": "consultant@northgate.example",
    },
    "Riverside Cancer Centre": {"on_call_emails": "oncall@riverside.example"},
}

# username, first name, last name, role, clinic index (None: superuser), password
LOGINS = (
    ("nurse", "Nora", "Quinn", CLINIC_STAFF, 0, "demo-nurse-2026"),
    ("doctor", "Daniel", "Okafor", CLINIC_STAFF, 0, "demo-doctor-2026"),
    ("admin", "Amira", "Haddad", CLINIC_ADMIN, 0, "demo-admin-2026"),
    # Riverside's only clinical login: a clinician, so its emergencies can be signed off in the demo.
    ("nurse.riverside", "Rosa", "Lind", CLINIC_STAFF, 1, "demo-nurse-2026"),
    ("admin.riverside", "Ravi", "Menon", CLINIC_ADMIN, 1, "demo-admin-2026"),
    ("superuser", "Sam", "Root", None, None, "demo-super-2026"),
)

FAMILY_NAMES = (
    "Adams",
    "Baker",
    "Chen",
    "Davies",
    "Evans",
    "Fischer",
    "Garcia",
    "Hughes",
    "Iqbal",
    "Jones",
    "Kowalski",
    "Lopez",
    "Murphy",
    "Núñez",  # search ignores accents: "nunez" finds her
    "O'Brien",
    "Patel",
    "Quinn",
    "Roberts",
    "Singh",
    "Taylor",
    "Usman",
    "Varga",
    "Walker",
    "Xu",
    "Young",
    "Zhang",
    "Bennett",
    "Clarke",
    "Dubois",
    "Ellis",
)
GIVEN_NAMES = (
    "Alice",
    "Ben",
    "Carla",
    "David",
    "Elena",
    "Frank",
    "Grace",
    "Hassan",
    "Ines",
    "John",
    "Kate",
    "Liam",
    "Maria",
    "Nikhil",
    "Olga",
    "Peter",
    "Rita",
    "Sam",
    "Tara",
    "Umar",
    "Vera",
    "Will",
    "Yasmin",
    "Zoe",
    "Arthur",
    "Bella",
    "Cyril",
    "Dora",
    "Emil",
    "Fay",
)

NO_FINDINGS = {}
# What the latest visit of a patient found: together they raise every flag of RULES.md §6. The flag's life
# (carried over, withdrawn, a recorded baseline, low calcium) comes early, so both demo clinics show it.
SCENARIOS = (
    {"symptoms": ("limb_weakness", "spinal_pain_new"), "imaging": (("mri", "whole spine", "emergency"),)},
    {"labs": (("calcium_total", "3.0", "mmol/L"), ("albumin", "30", "g/L"))},  # corrected 3.20: grade 3
    {
        "symptoms": ("sudden_severe_pain", "unable_to_move_affected_part"),
        "imaging": (("xray", "left femur", "urgent"),),
    },
    {"symptoms": ("bone_pain_new", "bone_pain_worse_at_rest_or_night")},
    # Denosumab can cause severe low calcium: corrected 6.8 mg/dL is CTCAE grade 3 hypocalcaemia.
    {"labs": (("calcium_total", "6.8", "mg/dL"), ("albumin", "4.0", "g/dL")), "bone_agent": "denosumab"},
    # A slowly raised ALP a doctor marked "known and stable" at the visit before: carried over to the latest visit.
    {"labs": (("alp", "205", "U/L"),), "previous": {"labs": (("alp", "190", "U/L"),)}, "stable": "ALP_ELEVATED"},
    # An abnormal baseline ALP recorded on the patient: 1000 U/L is graded as 2.5 x that baseline.
    {"labs": (("alp", "1000", "U/L"),), "baseline_alp": ("400", 200)},
    # Back pain entered at the latest visit by mistake, then withdrawn by an edit with its reason.
    {
        "symptoms": ("spinal_pain_new",),
        "withdraw": "Back pain was entered for the wrong patient: this patient has none.",
    },
    {"symptoms": ("spinal_pain_new",)},
    {"labs": (("calcium_total", "10.9", "mg/dL"),)},  # no albumin: not computable
    {
        "symptoms": ("nausea", "extreme_thirst", "polyuria"),
        "labs": (("calcium_total", "2.50", "mmol/L"), ("albumin", "38", "g/L")),
    },
    {"symptoms": ("confusion", "drowsiness")},
    {"labs": (("alp", "420", "U/L"),)},
    {"symptoms": ("jaw_symptoms",), "bone_agent": "denosumab"},
    {"symptoms": ("bruising_or_bleeding", "frequent_infections")},
    {"mirels": {"site": "lower_limb", "pain": "moderate", "lesion": "lytic", "size": "1_3_to_2_3"}},
    {
        "sins": {
            "location": "junctional",
            "pain": "mechanical",
            "bone_lesion": "lytic",
            "alignment": "normal",
            "collapse": "lt_50",
            "posterolateral": "unilateral",
        }
    },
    {"symptoms": ("unresponsive_or_coma",), "labs": (("calcium_total", "14.2", "mg/dL"), ("albumin", "3.2", "g/dL"))},
    NO_FINDINGS,
)
STABLE_NOTE = "Slowly rising ALP with known bone metastases; recheck at the next visit."
STABLE_DAYS = 90
CANCERS = ("breast", "prostate", "lung", "kidney", "thyroid", "multiple_myeloma", "lymphoma")
SITES = ("spine_thoracic", "spine_lumbar", "pelvis", "femur", "ribs", "humerus", "skull")
PATIENTS_PER_CLINIC = 15
# Days to the next follow-up, by visit: some due this week, some this month (issue 15 §5 has something to show).
FOLLOW_UP_DAYS = (6, 20, 60, 90)
# What each demo login may do in its clinic (issue 12): the nurse cannot sign off an emergency, the doctor can.
DEMO_ROLES = {"nurse": Role.NURSE, "admin": Role.CLINIC_ADMIN, "admin.riverside": Role.CLINIC_ADMIN}


class Command(BaseCommand):
    help = "Create demo clinics, logins and patients with a year of visits (DEBUG only, idempotent)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(REFUSED)
        with transaction.atomic():
            clinics = [
                Clinic.objects.filter(name=name).first() or services.open_clinic(name=name, **DEMO_CONTACTS[name])
                for name in CLINICS
            ]
            users = self._logins(clinics)
            created = sum(self._patients(clinic, index, users) for index, clinic in enumerate(clinics))
            if created:
                _one_action_overdue(clinics)
        self.stdout.write(f"Demo data ready ({created} patients added). Logins (username / password):")
        for username, _first, _last, role, clinic, password in LOGINS:
            where = CLINICS[clinic] if clinic is not None else "all clinics"
            # The role in the clinic (issue 12), as the README's table says it.
            held = DEMO_ROLES.get(username, Role.CLINICIAN).label.split(" (")[0] if role else "Superuser"
            self.stdout.write(f"  {username:<16} {password:<18} {held} \u2014 {where}")
        self.stdout.write(
            f"Admins and the superuser also enter a code: the code page shows it while DEBUG is on, or add the key "
            f"{DEMO_TOTP_KEY_BASE32} to an authenticator app."
        )

    def _logins(self, clinics) -> dict:
        users = {}
        for username, first, last, role, clinic, password in LOGINS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "is_superuser": role is None,
                    "is_staff": role in (None, CLINIC_ADMIN),
                    "is_demo": True,
                },
            )
            if created:
                user.set_password(password)
                user.save()
            elif not user.is_demo:  # a demo database made before demo accounts were marked
                user.is_demo = True
                user.save(update_fields=["is_demo"])
            if role:
                user.groups.add(Group.objects.get(name=role))
                Membership.objects.get_or_create(
                    user=user, clinic=clinics[clinic], defaults={"role": DEMO_ROLES.get(username, Role.CLINICIAN)}
                )
            if needs_second_factor(user):
                TOTPDevice.objects.get_or_create(
                    user=user,
                    name="Demo authenticator",
                    defaults={"key": base64.b32decode(DEMO_TOTP_KEY_BASE32).hex(), "confirmed": True},
                )
            users[username] = user
        return users

    def _patients(self, clinic, clinic_index, users) -> int:
        if clinic.patients.filter(mrn__startswith="DEMO").exists():
            return 0
        seen_by = [users["nurse"], users["doctor"]] if clinic_index == 0 else [users["nurse.riverside"]]
        rng = random.Random(2026 + clinic_index)  # noqa: S311 - repeatable demo data, not a secret
        today = timezone.localdate()
        for number in range(PATIENTS_PER_CLINIC):
            position = clinic_index * PATIENTS_PER_CLINIC + number
            scenario = SCENARIOS[position % len(SCENARIOS)]
            patient = services.create_patient(
                clinic=clinic,
                by=seen_by[0],
                mrn=f"DEMO{clinic_index + 1}{number + 1:03d}",
                family_name=FAMILY_NAMES[position],
                given_name=GIVEN_NAMES[position],
                sex=rng.choice(["female", "male"]),
                date_of_birth=today - datetime.timedelta(days=rng.randint(45 * 365, 85 * 365)),
                primary_cancer=CANCERS[position % len(CANCERS)],
                primary_cancer_other="",
                known_sites=sorted(rng.sample(SITES, rng.randint(1, 3))),
                bone_agent=scenario.get("bone_agent", rng.choice(["", "zoledronic_acid", "denosumab", ""])),
                **_baseline(scenario, today),
            )
            visits = rng.randint(3, 8)
            for visit_number in range(visits):
                days_ago = int(360 * (visits - 1 - visit_number) / max(visits - 1, 1))
                latest, previous = visit_number == visits - 1, visit_number == visits - 2
                found = scenario if latest else scenario.get("previous", NO_FINDINGS) if previous else NO_FINDINGS
                # The next follow-up: some this week, some this month, for each patient in turn (issue 15 §5).
                follow_up = datetime.timedelta(days=FOLLOW_UP_DAYS[number % len(FOLLOW_UP_DAYS)])
                entry = _entry(today - datetime.timedelta(days=days_ago), found, rng, follow_up)
                visit = services.record_visit(patient=patient, seen_by=rng.choice(seen_by), entry=entry)
                if previous and "stable" in scenario:
                    services.review_flag(
                        flag=visit.flags.get(code=scenario["stable"]),
                        by=seen_by[-1],
                        action="patient_advised",
                        note=STABLE_NOTE,
                        stable_until=today + datetime.timedelta(days=STABLE_DAYS),
                    )
                if latest and "withdraw" in scenario:
                    services.update_visit(
                        visit=visit,
                        entry=dataclasses.replace(entry, answers=dict.fromkeys(entry.answers, "no"), pain_score=1),
                        lock_version=visit.lock_version,
                        by=seen_by[-1],
                        reason=scenario["withdraw"],
                        withdraw=frozenset(visit.flags.values_list("code", flat=True)),
                    )
        if clinic_index == 0:
            self._draft(patient, users["nurse"], rng)
        return PATIENTS_PER_CLINIC

    def _draft(self, patient, nurse, rng):
        """A visit saved as a draft part-way through the screen: it is on the Drafts list, and the flag its answers
        already raise is on the worklist."""
        entry = _entry(timezone.localdate(), {"symptoms": ("nausea",)}, rng, datetime.timedelta(days=90))
        asked = list(entry.answers)[: len(entry.answers) // 3]
        answers = {key: value if key in asked else "not_asked" for key, value in entry.answers.items()}
        answers["nausea"] = "yes"
        draft = dataclasses.replace(entry, answers=answers, complete=False, notes="Interrupted: finish the screen.")
        services.record_visit(patient=patient, seen_by=nurse, entry=draft)


def _one_action_overdue(clinics) -> None:
    """In each clinic, one open action past its time frame, as if its visit had been recorded a day earlier: the
    demo's worklist shows an overdue action row (issue 15 §4) without waiting a day for one."""
    for clinic in clinics:
        action = (
            Recommendation.objects.filter(visit__clinic=clinic, done_at__isnull=True, due_at__isnull=False)
            .order_by("due_at", "pk")
            .first()
        )
        if action is not None:
            Recommendation.objects.filter(pk=action.pk).update(due_at=timezone.now() - datetime.timedelta(hours=3))


def _baseline(scenario: dict, today) -> dict:
    """A clinician-recorded baseline ALP with the date it was measured (RULES.md §4.4), or none."""
    if "baseline_alp" not in scenario:
        return {"baseline_alp": None, "baseline_alp_measured_on": None}
    value, days_ago = scenario["baseline_alp"]
    return {"baseline_alp": Decimal(value), "baseline_alp_measured_on": today - datetime.timedelta(days=days_ago)}


def _entry(visit_date, scenario: dict, rng: random.Random, follow_up: datetime.timedelta) -> VisitEntry:
    symptoms = set(scenario.get("symptoms", ()))
    answers = {item.key: "yes" if item.key in symptoms else "no" for item in SCREEN_ITEMS}
    labs = scenario.get("labs") or (
        # Normal once corrected (2.21-2.49 mmol/L), so only the scenarios raise calcium flags.
        ("calcium_total", str(Decimal(rng.randint(225, 245)) / 100), units.MMOL_L),
        ("albumin", str(rng.randint(38, 42)), units.G_L),
        ("alp", str(rng.randint(60, 140)), units.U_L),
    )
    return VisitEntry(
        visit_date=visit_date,
        answers=answers,
        pain_score=rng.randint(4, 8) if symptoms else rng.randint(0, 3),
        labs=tuple(LabEntry(analyte, Decimal(value), unit) for analyte, value, unit in labs),
        imaging=tuple(
            ImagingEntry(modality, region, urgency) for modality, region, urgency in scenario.get("imaging", ())
        ),
        mirels=scenario.get("mirels"),
        sins=scenario.get("sins"),
        notes="Demo visit." if not symptoms else "Demo visit: see the flags.",
        next_follow_up_due=visit_date + follow_up,
        complete=True,
    )
